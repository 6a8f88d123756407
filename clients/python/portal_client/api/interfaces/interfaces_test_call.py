from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_result import CallResult
from ...models.error_response import ErrorResponse
from ...models.interfaces_test_call_body import InterfacesTestCallBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    body: InterfacesTestCallBody | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/interfaces/{id}/test-call/".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallResult | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 406:
        response_406 = ErrorResponse.from_dict(response.json())

        return response_406

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CallResult | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: InterfacesTestCallBody | Unset = UNSET,
) -> Response[CallResult | ErrorResponse]:
    """Test-call an interface as its provider (the resource's catalog editors)

     Whatever the interface's status (but retired): the editor's own data within their clearance, in
    clear. Audited; not counted in the availability figures.

    Args:
        id (int):
        body (InterfacesTestCallBody | Unset): Input parameters by data item name or upstream
            name, each a single value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResult | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    body: InterfacesTestCallBody | Unset = UNSET,
) -> CallResult | ErrorResponse | None:
    """Test-call an interface as its provider (the resource's catalog editors)

     Whatever the interface's status (but retired): the editor's own data within their clearance, in
    clear. Audited; not counted in the availability figures.

    Args:
        id (int):
        body (InterfacesTestCallBody | Unset): Input parameters by data item name or upstream
            name, each a single value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResult | ErrorResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: InterfacesTestCallBody | Unset = UNSET,
) -> Response[CallResult | ErrorResponse]:
    """Test-call an interface as its provider (the resource's catalog editors)

     Whatever the interface's status (but retired): the editor's own data within their clearance, in
    clear. Audited; not counted in the availability figures.

    Args:
        id (int):
        body (InterfacesTestCallBody | Unset): Input parameters by data item name or upstream
            name, each a single value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallResult | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    body: InterfacesTestCallBody | Unset = UNSET,
) -> CallResult | ErrorResponse | None:
    """Test-call an interface as its provider (the resource's catalog editors)

     Whatever the interface's status (but retired): the editor's own data within their clearance, in
    clear. Audited; not counted in the availability figures.

    Args:
        id (int):
        body (InterfacesTestCallBody | Unset): Input parameters by data item name or upstream
            name, each a single value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallResult | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed

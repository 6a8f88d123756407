from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.paginated_activity_list import PaginatedActivityList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources/{id}/activity/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaginatedActivityList | None:
    if response.status_code == 200:
        response_200 = PaginatedActivityList.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | PaginatedActivityList]:
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
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> Response[ErrorResponse | PaginatedActivityList]:
    """List a resource's activity (its changes) the caller may see, newest first

     Who sees the resource's catalog entry sees its activity, the same as the portal's activity page:
    edits of the entry with what changed, status changes (submitted, published, returned, retired with
    the reason), catalog scope changes and data versions put in use. An edit whose version is above the
    caller's clearance is left out; `actor` (the account) is given to the provider department and the
    coordinator only, others receive null and the acting department. Pages follow `next` (cursor).

    Args:
        id (int):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedActivityList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> ErrorResponse | PaginatedActivityList | None:
    """List a resource's activity (its changes) the caller may see, newest first

     Who sees the resource's catalog entry sees its activity, the same as the portal's activity page:
    edits of the entry with what changed, status changes (submitted, published, returned, retired with
    the reason), catalog scope changes and data versions put in use. An edit whose version is above the
    caller's clearance is left out; `actor` (the account) is given to the provider department and the
    coordinator only, others receive null and the acting department. Pages follow `next` (cursor).

    Args:
        id (int):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedActivityList
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> Response[ErrorResponse | PaginatedActivityList]:
    """List a resource's activity (its changes) the caller may see, newest first

     Who sees the resource's catalog entry sees its activity, the same as the portal's activity page:
    edits of the entry with what changed, status changes (submitted, published, returned, retired with
    the reason), catalog scope changes and data versions put in use. An edit whose version is above the
    caller's clearance is left out; `actor` (the account) is given to the provider department and the
    coordinator only, others receive null and the acting department. Pages follow `next` (cursor).

    Args:
        id (int):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedActivityList]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> ErrorResponse | PaginatedActivityList | None:
    """List a resource's activity (its changes) the caller may see, newest first

     Who sees the resource's catalog entry sees its activity, the same as the portal's activity page:
    edits of the entry with what changed, status changes (submitted, published, returned, retired with
    the reason), catalog scope changes and data versions put in use. An edit whose version is above the
    caller's clearance is left out; `actor` (the account) is given to the provider department and the
    coordinator only, others receive null and the acting department. Pages follow `next` (cursor).

    Args:
        id (int):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedActivityList
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            page_size=page_size,
        )
    ).parsed

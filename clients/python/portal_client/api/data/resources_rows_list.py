from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.resources_rows_list_format import ResourcesRowsListFormat
from ...models.row_page import RowPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    after: str | Unset = UNSET,
    format_: ResourcesRowsListFormat | Unset = UNSET,
    key: list[str] | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_key: list[str] | Unset = UNSET
    if not isinstance(key, Unset):
        json_key = key

    params["key"] = json_key

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources/{id}/rows/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RowPage | None:
    if response.status_code == 200:
        response_200 = RowPage.from_dict(response.json())

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
) -> Response[ErrorResponse | RowPage]:
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
    after: str | Unset = UNSET,
    format_: ResourcesRowsListFormat | Unset = UNSET,
    key: list[str] | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorResponse | RowPage]:
    """Read a resource's rows, or download them as CSV or XLSX

     Only the items the caller may read (granted, within clearance), personal data masked unless the
    grant delivers it in clear, only rows within the grant's row scope. Pages follow `next_cursor`
    (keyset). `?format=csv` or `?format=xlsx` (or `Accept: text/csv`) downloads every matching row as a
    file instead. 403 when the caller sees the resource but holds no grant on its data. Every read is
    audited.

    Args:
        id (int):
        after (str | Unset):
        format_ (ResourcesRowsListFormat | Unset):
        key (list[str] | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RowPage]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        format_=format_,
        key=key,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    format_: ResourcesRowsListFormat | Unset = UNSET,
    key: list[str] | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorResponse | RowPage | None:
    """Read a resource's rows, or download them as CSV or XLSX

     Only the items the caller may read (granted, within clearance), personal data masked unless the
    grant delivers it in clear, only rows within the grant's row scope. Pages follow `next_cursor`
    (keyset). `?format=csv` or `?format=xlsx` (or `Accept: text/csv`) downloads every matching row as a
    file instead. 403 when the caller sees the resource but holds no grant on its data. Every read is
    audited.

    Args:
        id (int):
        after (str | Unset):
        format_ (ResourcesRowsListFormat | Unset):
        key (list[str] | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RowPage
    """

    return sync_detailed(
        id=id,
        client=client,
        after=after,
        format_=format_,
        key=key,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    format_: ResourcesRowsListFormat | Unset = UNSET,
    key: list[str] | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[ErrorResponse | RowPage]:
    """Read a resource's rows, or download them as CSV or XLSX

     Only the items the caller may read (granted, within clearance), personal data masked unless the
    grant delivers it in clear, only rows within the grant's row scope. Pages follow `next_cursor`
    (keyset). `?format=csv` or `?format=xlsx` (or `Accept: text/csv`) downloads every matching row as a
    file instead. 403 when the caller sees the resource but holds no grant on its data. Every read is
    audited.

    Args:
        id (int):
        after (str | Unset):
        format_ (ResourcesRowsListFormat | Unset):
        key (list[str] | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RowPage]
    """

    kwargs = _get_kwargs(
        id=id,
        after=after,
        format_=format_,
        key=key,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    format_: ResourcesRowsListFormat | Unset = UNSET,
    key: list[str] | Unset = UNSET,
    limit: int | Unset = 100,
) -> ErrorResponse | RowPage | None:
    """Read a resource's rows, or download them as CSV or XLSX

     Only the items the caller may read (granted, within clearance), personal data masked unless the
    grant delivers it in clear, only rows within the grant's row scope. Pages follow `next_cursor`
    (keyset). `?format=csv` or `?format=xlsx` (or `Accept: text/csv`) downloads every matching row as a
    file instead. 403 when the caller sees the resource but holds no grant on its data. Every read is
    audited.

    Args:
        id (int):
        after (str | Unset):
        format_ (ResourcesRowsListFormat | Unset):
        key (list[str] | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RowPage
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            after=after,
            format_=format_,
            key=key,
            limit=limit,
        )
    ).parsed

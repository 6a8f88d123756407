from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.code_list_entry_page import CodeListEntryPage
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
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
        "url": "/api/v1/code-lists/{code}/".format(
            code=quote(str(code), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CodeListEntryPage | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CodeListEntryPage.from_dict(response.json())

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
) -> Response[CodeListEntryPage | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> Response[CodeListEntryPage | ErrorResponse]:
    """List a code list's codes

     The codes (entries) of the code list with this code (e.g. `GB/T 2261.1-2003`, its slash as is or as
    `%2F`), in the list's order, a page at a time; 404 for an unknown code.

    Args:
        code (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodeListEntryPage | ErrorResponse]
    """

    kwargs = _get_kwargs(
        code=code,
        cursor=cursor,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> CodeListEntryPage | ErrorResponse | None:
    """List a code list's codes

     The codes (entries) of the code list with this code (e.g. `GB/T 2261.1-2003`, its slash as is or as
    `%2F`), in the list's order, a page at a time; 404 for an unknown code.

    Args:
        code (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodeListEntryPage | ErrorResponse
    """

    return sync_detailed(
        code=code,
        client=client,
        cursor=cursor,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> Response[CodeListEntryPage | ErrorResponse]:
    """List a code list's codes

     The codes (entries) of the code list with this code (e.g. `GB/T 2261.1-2003`, its slash as is or as
    `%2F`), in the list's order, a page at a time; 404 for an unknown code.

    Args:
        code (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CodeListEntryPage | ErrorResponse]
    """

    kwargs = _get_kwargs(
        code=code,
        cursor=cursor,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
) -> CodeListEntryPage | ErrorResponse | None:
    """List a code list's codes

     The codes (entries) of the code list with this code (e.g. `GB/T 2261.1-2003`, its slash as is or as
    `%2F`), in the list's order, a page at a time; 404 for an unknown code.

    Args:
        code (str):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CodeListEntryPage | ErrorResponse
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            cursor=cursor,
            page_size=page_size,
        )
    ).parsed

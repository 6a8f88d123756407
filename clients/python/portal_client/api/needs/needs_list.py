from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.needs_list_side import NeedsListSide
from ...models.needs_list_status import NeedsListStatus
from ...models.paginated_need_list import PaginatedNeedList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    side: NeedsListSide | Unset = UNSET,
    status: NeedsListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    json_side: str | Unset = UNSET
    if not isinstance(side, Unset):
        json_side = side.value

    params["side"] = json_side

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/needs/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaginatedNeedList | None:
    if response.status_code == 200:
        response_200 = PaginatedNeedList.from_dict(response.json())

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
) -> Response[ErrorResponse | PaginatedNeedList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    side: NeedsListSide | Unset = UNSET,
    status: NeedsListStatus | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedNeedList]:
    """List data needs (every department's, with their state)

     数据需求: data a department needs and cannot find in the catalog, and the answers.

    Args:
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        side (NeedsListSide | Unset):
        status (NeedsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedNeedList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        page_size=page_size,
        side=side,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    side: NeedsListSide | Unset = UNSET,
    status: NeedsListStatus | Unset = UNSET,
) -> ErrorResponse | PaginatedNeedList | None:
    """List data needs (every department's, with their state)

     数据需求: data a department needs and cannot find in the catalog, and the answers.

    Args:
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        side (NeedsListSide | Unset):
        status (NeedsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedNeedList
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        page_size=page_size,
        side=side,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    side: NeedsListSide | Unset = UNSET,
    status: NeedsListStatus | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedNeedList]:
    """List data needs (every department's, with their state)

     数据需求: data a department needs and cannot find in the catalog, and the answers.

    Args:
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        side (NeedsListSide | Unset):
        status (NeedsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedNeedList]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        page_size=page_size,
        side=side,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    side: NeedsListSide | Unset = UNSET,
    status: NeedsListStatus | Unset = UNSET,
) -> ErrorResponse | PaginatedNeedList | None:
    """List data needs (every department's, with their state)

     数据需求: data a department needs and cannot find in the catalog, and the answers.

    Args:
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        side (NeedsListSide | Unset):
        status (NeedsListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedNeedList
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            page_size=page_size,
            side=side,
            status=status,
        )
    ).parsed

from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.paginated_resource_summary_list import PaginatedResourceSummaryList
from ...models.resources_list_expand import ResourcesListExpand
from ...models.resources_list_level import ResourcesListLevel
from ...models.resources_list_share_type import ResourcesListShareType
from ...models.resources_list_status import ResourcesListStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    category: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    expand: ResourcesListExpand | Unset = UNSET,
    level: ResourcesListLevel | Unset = UNSET,
    ordering: str | Unset = UNSET,
    page_size: int | Unset = 50,
    provider: int | Unset = UNSET,
    search: str | Unset = UNSET,
    share_type: ResourcesListShareType | Unset = UNSET,
    status: ResourcesListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["category"] = category

    params["cursor"] = cursor

    json_expand: str | Unset = UNSET
    if not isinstance(expand, Unset):
        json_expand = expand.value

    params["expand"] = json_expand

    json_level: int | Unset = UNSET
    if not isinstance(level, Unset):
        json_level = level.value

    params["level"] = json_level

    params["ordering"] = ordering

    params["page_size"] = page_size

    params["provider"] = provider

    params["search"] = search

    json_share_type: str | Unset = UNSET
    if not isinstance(share_type, Unset):
        json_share_type = share_type.value

    params["share_type"] = json_share_type

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/resources/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaginatedResourceSummaryList | None:
    if response.status_code == 200:
        response_200 = PaginatedResourceSummaryList.from_dict(response.json())

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
) -> Response[ErrorResponse | PaginatedResourceSummaryList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    category: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    expand: ResourcesListExpand | Unset = UNSET,
    level: ResourcesListLevel | Unset = UNSET,
    ordering: str | Unset = UNSET,
    page_size: int | Unset = 50,
    provider: int | Unset = UNSET,
    search: str | Unset = UNSET,
    share_type: ResourcesListShareType | Unset = UNSET,
    status: ResourcesListStatus | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedResourceSummaryList]:
    """List resources

     The resources the caller may see, each with `item_count`; their data items are on the detail (`GET
    /api/v1/resources/{id}/`), or here with `?expand=items`.

    Args:
        category (int | Unset):
        cursor (str | Unset):
        expand (ResourcesListExpand | Unset):
        level (ResourcesListLevel | Unset):
        ordering (str | Unset):
        page_size (int | Unset):  Default: 50.
        provider (int | Unset):
        search (str | Unset):
        share_type (ResourcesListShareType | Unset):
        status (ResourcesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedResourceSummaryList]
    """

    kwargs = _get_kwargs(
        category=category,
        cursor=cursor,
        expand=expand,
        level=level,
        ordering=ordering,
        page_size=page_size,
        provider=provider,
        search=search,
        share_type=share_type,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    category: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    expand: ResourcesListExpand | Unset = UNSET,
    level: ResourcesListLevel | Unset = UNSET,
    ordering: str | Unset = UNSET,
    page_size: int | Unset = 50,
    provider: int | Unset = UNSET,
    search: str | Unset = UNSET,
    share_type: ResourcesListShareType | Unset = UNSET,
    status: ResourcesListStatus | Unset = UNSET,
) -> ErrorResponse | PaginatedResourceSummaryList | None:
    """List resources

     The resources the caller may see, each with `item_count`; their data items are on the detail (`GET
    /api/v1/resources/{id}/`), or here with `?expand=items`.

    Args:
        category (int | Unset):
        cursor (str | Unset):
        expand (ResourcesListExpand | Unset):
        level (ResourcesListLevel | Unset):
        ordering (str | Unset):
        page_size (int | Unset):  Default: 50.
        provider (int | Unset):
        search (str | Unset):
        share_type (ResourcesListShareType | Unset):
        status (ResourcesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedResourceSummaryList
    """

    return sync_detailed(
        client=client,
        category=category,
        cursor=cursor,
        expand=expand,
        level=level,
        ordering=ordering,
        page_size=page_size,
        provider=provider,
        search=search,
        share_type=share_type,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    category: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    expand: ResourcesListExpand | Unset = UNSET,
    level: ResourcesListLevel | Unset = UNSET,
    ordering: str | Unset = UNSET,
    page_size: int | Unset = 50,
    provider: int | Unset = UNSET,
    search: str | Unset = UNSET,
    share_type: ResourcesListShareType | Unset = UNSET,
    status: ResourcesListStatus | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedResourceSummaryList]:
    """List resources

     The resources the caller may see, each with `item_count`; their data items are on the detail (`GET
    /api/v1/resources/{id}/`), or here with `?expand=items`.

    Args:
        category (int | Unset):
        cursor (str | Unset):
        expand (ResourcesListExpand | Unset):
        level (ResourcesListLevel | Unset):
        ordering (str | Unset):
        page_size (int | Unset):  Default: 50.
        provider (int | Unset):
        search (str | Unset):
        share_type (ResourcesListShareType | Unset):
        status (ResourcesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedResourceSummaryList]
    """

    kwargs = _get_kwargs(
        category=category,
        cursor=cursor,
        expand=expand,
        level=level,
        ordering=ordering,
        page_size=page_size,
        provider=provider,
        search=search,
        share_type=share_type,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    category: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    expand: ResourcesListExpand | Unset = UNSET,
    level: ResourcesListLevel | Unset = UNSET,
    ordering: str | Unset = UNSET,
    page_size: int | Unset = 50,
    provider: int | Unset = UNSET,
    search: str | Unset = UNSET,
    share_type: ResourcesListShareType | Unset = UNSET,
    status: ResourcesListStatus | Unset = UNSET,
) -> ErrorResponse | PaginatedResourceSummaryList | None:
    """List resources

     The resources the caller may see, each with `item_count`; their data items are on the detail (`GET
    /api/v1/resources/{id}/`), or here with `?expand=items`.

    Args:
        category (int | Unset):
        cursor (str | Unset):
        expand (ResourcesListExpand | Unset):
        level (ResourcesListLevel | Unset):
        ordering (str | Unset):
        page_size (int | Unset):  Default: 50.
        provider (int | Unset):
        search (str | Unset):
        share_type (ResourcesListShareType | Unset):
        status (ResourcesListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedResourceSummaryList
    """

    return (
        await asyncio_detailed(
            client=client,
            category=category,
            cursor=cursor,
            expand=expand,
            level=level,
            ordering=ordering,
            page_size=page_size,
            provider=provider,
            search=search,
            share_type=share_type,
            status=status,
        )
    ).parsed

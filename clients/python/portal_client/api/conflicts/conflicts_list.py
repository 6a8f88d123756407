from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.paginated_conflict_link_list import PaginatedConflictLinkList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    conflicts: bool | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    resource: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["conflicts"] = conflicts

    params["cursor"] = cursor

    params["page_size"] = page_size

    params["resource"] = resource

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/conflicts/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaginatedConflictLinkList | None:
    if response.status_code == 200:
        response_200 = PaginatedConflictLinkList.from_dict(response.json())

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
) -> Response[ErrorResponse | PaginatedConflictLinkList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    conflicts: bool | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    resource: int | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedConflictLinkList]:
    """List the item links the caller's department owns a side of, with their last comparison

     The same links as the portal's conflict list: those where one side's resource is the caller's
    department's and within the caller's clearance. Other departments and the coordinator see none of a
    department's links here.

    Args:
        conflicts (bool | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        resource (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedConflictLinkList]
    """

    kwargs = _get_kwargs(
        conflicts=conflicts,
        cursor=cursor,
        page_size=page_size,
        resource=resource,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    conflicts: bool | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    resource: int | Unset = UNSET,
) -> ErrorResponse | PaginatedConflictLinkList | None:
    """List the item links the caller's department owns a side of, with their last comparison

     The same links as the portal's conflict list: those where one side's resource is the caller's
    department's and within the caller's clearance. Other departments and the coordinator see none of a
    department's links here.

    Args:
        conflicts (bool | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        resource (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedConflictLinkList
    """

    return sync_detailed(
        client=client,
        conflicts=conflicts,
        cursor=cursor,
        page_size=page_size,
        resource=resource,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    conflicts: bool | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    resource: int | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedConflictLinkList]:
    """List the item links the caller's department owns a side of, with their last comparison

     The same links as the portal's conflict list: those where one side's resource is the caller's
    department's and within the caller's clearance. Other departments and the coordinator see none of a
    department's links here.

    Args:
        conflicts (bool | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        resource (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedConflictLinkList]
    """

    kwargs = _get_kwargs(
        conflicts=conflicts,
        cursor=cursor,
        page_size=page_size,
        resource=resource,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    conflicts: bool | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    resource: int | Unset = UNSET,
) -> ErrorResponse | PaginatedConflictLinkList | None:
    """List the item links the caller's department owns a side of, with their last comparison

     The same links as the portal's conflict list: those where one side's resource is the caller's
    department's and within the caller's clearance. Other departments and the coordinator see none of a
    department's links here.

    Args:
        conflicts (bool | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        resource (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedConflictLinkList
    """

    return (
        await asyncio_detailed(
            client=client,
            conflicts=conflicts,
            cursor=cursor,
            page_size=page_size,
            resource=resource,
        )
    ).parsed

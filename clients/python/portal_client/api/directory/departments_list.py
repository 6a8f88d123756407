from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.departments_list_admin_level import DepartmentsListAdminLevel
from ...models.error_response import ErrorResponse
from ...models.paginated_department_list import PaginatedDepartmentList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    admin_level: DepartmentsListAdminLevel | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    parent: int | Unset = UNSET,
    region_code: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_admin_level: str | Unset = UNSET
    if not isinstance(admin_level, Unset):
        json_admin_level = admin_level.value

    params["admin_level"] = json_admin_level

    params["cursor"] = cursor

    params["page_size"] = page_size

    params["parent"] = parent

    params["region_code"] = region_code

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/departments/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PaginatedDepartmentList | None:
    if response.status_code == 200:
        response_200 = PaginatedDepartmentList.from_dict(response.json())

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
) -> Response[ErrorResponse | PaginatedDepartmentList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    admin_level: DepartmentsListAdminLevel | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    parent: int | Unset = UNSET,
    region_code: str | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedDepartmentList]:
    """List departments

     The city's departments: providers and consumers of resources.

    Args:
        admin_level (DepartmentsListAdminLevel | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        parent (int | Unset):
        region_code (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedDepartmentList]
    """

    kwargs = _get_kwargs(
        admin_level=admin_level,
        cursor=cursor,
        page_size=page_size,
        parent=parent,
        region_code=region_code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    admin_level: DepartmentsListAdminLevel | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    parent: int | Unset = UNSET,
    region_code: str | Unset = UNSET,
) -> ErrorResponse | PaginatedDepartmentList | None:
    """List departments

     The city's departments: providers and consumers of resources.

    Args:
        admin_level (DepartmentsListAdminLevel | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        parent (int | Unset):
        region_code (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedDepartmentList
    """

    return sync_detailed(
        client=client,
        admin_level=admin_level,
        cursor=cursor,
        page_size=page_size,
        parent=parent,
        region_code=region_code,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    admin_level: DepartmentsListAdminLevel | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    parent: int | Unset = UNSET,
    region_code: str | Unset = UNSET,
) -> Response[ErrorResponse | PaginatedDepartmentList]:
    """List departments

     The city's departments: providers and consumers of resources.

    Args:
        admin_level (DepartmentsListAdminLevel | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        parent (int | Unset):
        region_code (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PaginatedDepartmentList]
    """

    kwargs = _get_kwargs(
        admin_level=admin_level,
        cursor=cursor,
        page_size=page_size,
        parent=parent,
        region_code=region_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    admin_level: DepartmentsListAdminLevel | Unset = UNSET,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    parent: int | Unset = UNSET,
    region_code: str | Unset = UNSET,
) -> ErrorResponse | PaginatedDepartmentList | None:
    """List departments

     The city's departments: providers and consumers of resources.

    Args:
        admin_level (DepartmentsListAdminLevel | Unset):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        parent (int | Unset):
        region_code (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PaginatedDepartmentList
    """

    return (
        await asyncio_detailed(
            client=client,
            admin_level=admin_level,
            cursor=cursor,
            page_size=page_size,
            parent=parent,
            region_code=region_code,
        )
    ).parsed

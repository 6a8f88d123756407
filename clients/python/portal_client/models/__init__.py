"""Contains all the data models used in inputs/outputs"""

from .activity import Activity
from .admin_level_enum import AdminLevelEnum
from .approve_request import ApproveRequest
from .auth_kind_enum import AuthKindEnum
from .calendar_day import CalendarDay
from .calendar_day_kind_enum import CalendarDayKindEnum
from .calendar_year import CalendarYear
from .call_result import CallResult
from .call_result_results_item import CallResultResultsItem
from .catalog_scope_enum import CatalogScopeEnum
from .categories_list_depth import CategoriesListDepth
from .category import Category
from .code_list import CodeList
from .code_list_entry import CodeListEntry
from .code_list_entry_page import CodeListEntryPage
from .code_list_ref import CodeListRef
from .comment_request import CommentRequest
from .comparison import Comparison
from .confirm_not_personal_request import ConfirmNotPersonalRequest
from .conflict_link import ConflictLink
from .conflict_row import ConflictRow
from .conflict_rows import ConflictRows
from .correction import Correction
from .correction_answer_request import CorrectionAnswerRequest
from .correction_create_request import CorrectionCreateRequest
from .correction_status_enum import CorrectionStatusEnum
from .corrections_list_status import CorrectionsListStatus
from .data_error import DataError
from .data_error_detail import DataErrorDetail
from .data_error_detail_fields import DataErrorDetailFields
from .data_item import DataItem
from .data_item_write_request import DataItemWriteRequest
from .data_type_enum import DataTypeEnum
from .decision_enum import DecisionEnum
from .delivery import Delivery
from .department import Department
from .department_ref import DepartmentRef
from .departments_list_admin_level import DepartmentsListAdminLevel
from .depth_enum import DepthEnum
from .direction_enum import DirectionEnum
from .error_detail import ErrorDetail
from .error_detail_fields import ErrorDetailFields
from .error_response import ErrorResponse
from .format_class_enum import FormatClassEnum
from .funding_stage_enum import FundingStageEnum
from .grant import Grant
from .grant_status_enum import GrantStatusEnum
from .grants_list_status import GrantsListStatus
from .interface import Interface
from .interface_create_request import InterfaceCreateRequest
from .interface_decide_decision_enum import InterfaceDecideDecisionEnum
from .interface_decide_request import InterfaceDecideRequest
from .interface_parameter import InterfaceParameter
from .interfaces_call_body import InterfacesCallBody
from .interfaces_test_call_body import InterfacesTestCallBody
from .kind_enum import KindEnum
from .level_enum import LevelEnum
from .marked import Marked
from .me import Me
from .method_enum import MethodEnum
from .mode_enum import ModeEnum
from .need import Need
from .need_create_request import NeedCreateRequest
from .need_link_request import NeedLinkRequest
from .need_refuse_request import NeedRefuseRequest
from .need_register_request import NeedRegisterRequest
from .need_request_result import NeedRequestResult
from .need_route_request import NeedRouteRequest
from .need_status_enum import NeedStatusEnum
from .needs_list_side import NeedsListSide
from .needs_list_status import NeedsListStatus
from .notification import Notification
from .notification_kind_enum import NotificationKindEnum
from .open_type_enum import OpenTypeEnum
from .other_side import OtherSide
from .own_side import OwnSide
from .paginated_activity_list import PaginatedActivityList
from .paginated_category_list import PaginatedCategoryList
from .paginated_code_list_list import PaginatedCodeListList
from .paginated_conflict_link_list import PaginatedConflictLinkList
from .paginated_correction_list import PaginatedCorrectionList
from .paginated_delivery_list import PaginatedDeliveryList
from .paginated_department_list import PaginatedDepartmentList
from .paginated_grant_list import PaginatedGrantList
from .paginated_interface_list import PaginatedInterfaceList
from .paginated_need_list import PaginatedNeedList
from .paginated_notification_list import PaginatedNotificationList
from .paginated_resource_summary_list import PaginatedResourceSummaryList
from .paginated_share_request_list import PaginatedShareRequestList
from .paginated_subscription_list import PaginatedSubscriptionList
from .paginated_system_list import PaginatedSystemList
from .parameter_input_request import ParameterInputRequest
from .patched_resource_write_request import PatchedResourceWriteRequest
from .purpose_enum import PurposeEnum
from .push_request import PushRequest
from .push_request_rows_item import PushRequestRowsItem
from .push_result import PushResult
from .quality import Quality
from .quality_item import QualityItem
from .reason_request import ReasonRequest
from .resource import Resource
from .resource_data_item import ResourceDataItem
from .resource_detail import ResourceDetail
from .resource_interface import ResourceInterface
from .resource_status_enum import ResourceStatusEnum
from .resource_summary import ResourceSummary
from .resource_write_request import ResourceWriteRequest
from .resources_interfaces_call_body import ResourcesInterfacesCallBody
from .resources_list_expand import ResourcesListExpand
from .resources_list_level import ResourcesListLevel
from .resources_list_share_type import ResourcesListShareType
from .resources_list_status import ResourcesListStatus
from .resources_rows_list_format import ResourcesRowsListFormat
from .retire_request import RetireRequest
from .return_request import ReturnRequest
from .revoke_request import RevokeRequest
from .roles_enum import RolesEnum
from .row_error import RowError
from .row_page import RowPage
from .row_page_results_item import RowPageResultsItem
from .scope_request import ScopeRequest
from .settle_decision_enum import SettleDecisionEnum
from .settle_request import SettleRequest
from .share_method_enum import ShareMethodEnum
from .share_request import ShareRequest
from .share_request_create_request import ShareRequestCreateRequest
from .share_request_resubmit_request import ShareRequestResubmitRequest
from .share_requests_list_side import ShareRequestsListSide
from .share_requests_list_status import ShareRequestsListStatus
from .share_status_enum import ShareStatusEnum
from .share_type_enum import ShareTypeEnum
from .side_enum import SideEnum
from .subscription import Subscription
from .subscription_create_request import SubscriptionCreateRequest
from .subscription_with_secret import SubscriptionWithSecret
from .system import System
from .system_status_enum import SystemStatusEnum
from .token_info import TokenInfo
from .update_cycle_enum import UpdateCycleEnum
from .verify_request import VerifyRequest
from .verify_request_keys import VerifyRequestKeys
from .verify_request_values import VerifyRequestValues
from .verify_result import VerifyResult
from .verify_result_matches import VerifyResultMatches
from .version import Version
from .view_enum import ViewEnum
from .webhook_delivery_state_enum import WebhookDeliveryStateEnum
from .webhook_event_enum import WebhookEventEnum

__all__ = (
    "Activity",
    "AdminLevelEnum",
    "ApproveRequest",
    "AuthKindEnum",
    "CalendarDay",
    "CalendarDayKindEnum",
    "CalendarYear",
    "CallResult",
    "CallResultResultsItem",
    "CatalogScopeEnum",
    "CategoriesListDepth",
    "Category",
    "CodeList",
    "CodeListEntry",
    "CodeListEntryPage",
    "CodeListRef",
    "CommentRequest",
    "Comparison",
    "ConfirmNotPersonalRequest",
    "ConflictLink",
    "ConflictRow",
    "ConflictRows",
    "Correction",
    "CorrectionAnswerRequest",
    "CorrectionCreateRequest",
    "CorrectionsListStatus",
    "CorrectionStatusEnum",
    "DataError",
    "DataErrorDetail",
    "DataErrorDetailFields",
    "DataItem",
    "DataItemWriteRequest",
    "DataTypeEnum",
    "DecisionEnum",
    "Delivery",
    "Department",
    "DepartmentRef",
    "DepartmentsListAdminLevel",
    "DepthEnum",
    "DirectionEnum",
    "ErrorDetail",
    "ErrorDetailFields",
    "ErrorResponse",
    "FormatClassEnum",
    "FundingStageEnum",
    "Grant",
    "GrantsListStatus",
    "GrantStatusEnum",
    "Interface",
    "InterfaceCreateRequest",
    "InterfaceDecideDecisionEnum",
    "InterfaceDecideRequest",
    "InterfaceParameter",
    "InterfacesCallBody",
    "InterfacesTestCallBody",
    "KindEnum",
    "LevelEnum",
    "Marked",
    "Me",
    "MethodEnum",
    "ModeEnum",
    "Need",
    "NeedCreateRequest",
    "NeedLinkRequest",
    "NeedRefuseRequest",
    "NeedRegisterRequest",
    "NeedRequestResult",
    "NeedRouteRequest",
    "NeedsListSide",
    "NeedsListStatus",
    "NeedStatusEnum",
    "Notification",
    "NotificationKindEnum",
    "OpenTypeEnum",
    "OtherSide",
    "OwnSide",
    "PaginatedActivityList",
    "PaginatedCategoryList",
    "PaginatedCodeListList",
    "PaginatedConflictLinkList",
    "PaginatedCorrectionList",
    "PaginatedDeliveryList",
    "PaginatedDepartmentList",
    "PaginatedGrantList",
    "PaginatedInterfaceList",
    "PaginatedNeedList",
    "PaginatedNotificationList",
    "PaginatedResourceSummaryList",
    "PaginatedShareRequestList",
    "PaginatedSubscriptionList",
    "PaginatedSystemList",
    "ParameterInputRequest",
    "PatchedResourceWriteRequest",
    "PurposeEnum",
    "PushRequest",
    "PushRequestRowsItem",
    "PushResult",
    "Quality",
    "QualityItem",
    "ReasonRequest",
    "Resource",
    "ResourceDataItem",
    "ResourceDetail",
    "ResourceInterface",
    "ResourcesInterfacesCallBody",
    "ResourcesListExpand",
    "ResourcesListLevel",
    "ResourcesListShareType",
    "ResourcesListStatus",
    "ResourcesRowsListFormat",
    "ResourceStatusEnum",
    "ResourceSummary",
    "ResourceWriteRequest",
    "RetireRequest",
    "ReturnRequest",
    "RevokeRequest",
    "RolesEnum",
    "RowError",
    "RowPage",
    "RowPageResultsItem",
    "ScopeRequest",
    "SettleDecisionEnum",
    "SettleRequest",
    "ShareMethodEnum",
    "ShareRequest",
    "ShareRequestCreateRequest",
    "ShareRequestResubmitRequest",
    "ShareRequestsListSide",
    "ShareRequestsListStatus",
    "ShareStatusEnum",
    "ShareTypeEnum",
    "SideEnum",
    "Subscription",
    "SubscriptionCreateRequest",
    "SubscriptionWithSecret",
    "System",
    "SystemStatusEnum",
    "TokenInfo",
    "UpdateCycleEnum",
    "VerifyRequest",
    "VerifyRequestKeys",
    "VerifyRequestValues",
    "VerifyResult",
    "VerifyResultMatches",
    "Version",
    "ViewEnum",
    "WebhookDeliveryStateEnum",
    "WebhookEventEnum",
)

import strawberry_django
from strawberry import auto
from strawberry_django import BaseFilterLookup

from backend.returns.models import Return, ReturnItem

from ..catalog.filters import ProductFilter
from ..enums import ReturnReasonEnum, ReturnResponseEnum, ReturnStatusEnum
from ..orders.filters import OrderFilter
from ..parties.filters import PartyFilter


@strawberry_django.filter_type(Return, lookups=True)
class ReturnFilter:
    id: auto
    status: BaseFilterLookup[ReturnStatusEnum] | None
    currency: auto
    customer: PartyFilter | None
    vendor: PartyFilter | None
    order: OrderFilter | None


@strawberry_django.order_type(Return)
class ReturnOrdering:
    id: auto
    status: auto
    created_at: auto


@strawberry_django.filter_type(ReturnItem, lookups=True)
class ReturnItemFilter:
    id: auto
    description: auto
    return_header: ReturnFilter | None
    product: ProductFilter | None
    reason: BaseFilterLookup[ReturnReasonEnum] | None
    response: BaseFilterLookup[ReturnResponseEnum] | None
    quantity: auto
    return_price: auto


@strawberry_django.order_type(ReturnItem)
class ReturnItemOrdering:
    id: auto
    description: auto
    quantity: auto
    return_price: auto

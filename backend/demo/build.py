"""The whole demo company: plan every row in memory, then insert them stage by stage."""

from datetime import date

from .bulk import BulkWriter
from .generator import DemoCompany
from .logistics import plan_follow_up_tasks, plan_shipments
from .sales import plan_purchase_orders, plan_sales


def build_demo(
    *, seed: int, scale: float, as_of: date, writer: BulkWriter, taken: dict[str, set]
) -> DemoCompany:
    demo = DemoCompany(seed=seed, scale=scale, as_of=as_of, writer=writer, taken=taken)
    demo.plan_parties()
    demo.plan_places()
    demo.plan_catalogue()
    demo.plan_templates()
    plan_sales(demo)
    plan_purchase_orders(demo)
    plan_shipments(demo)
    plan_follow_up_tasks(demo)
    demo.insert()
    return demo

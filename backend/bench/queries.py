"""The measured reads, declared once: the GraphQL text and the floor's SQL are both built from these.

A `Level` is one connection (`orders(first: 10) { edges { node { … } } }`); its fields pair the
GraphQL selection with the SQL expression that yields the same JSON value. `{r}` in an expression
stands for the level's row alias.
"""

from dataclasses import dataclass

from backend.common.money import CURRENCY_MINOR_UNITS


@dataclass(frozen=True)
class Field:
    key: str  # the response key
    sql: str  # JSON value over the row alias `{r}`
    selection: str = ""  # a sub-selection for object fields ("{ amount currency }")

    @property
    def graphql(self) -> str:
        return f"{self.key} {self.selection}".strip()


@dataclass(frozen=True)
class Level:
    field: str  # the connection field
    type_name: str  # the GraphQL type, also the global id prefix
    table: str
    parent_column: str  # the foreign key to the level above ("" at the root)
    first: int
    fields: tuple[Field, ...]
    children: tuple["Level", ...] = ()


def global_id(type_name: str) -> Field:
    """Relay global ids: base64 of "<TypeName>:<pk>"."""
    return Field("id", f"encode(convert_to('{type_name}:' || {{r}}.id, 'UTF8'), 'base64')")


def minor_units(currency_column: str) -> str:
    odd = sorted((code, digits) for code, digits in CURRENCY_MINOR_UNITS.items() if digits != 2)
    whens = " ".join(f"WHEN '{code}' THEN {digits}" for code, digits in odd)
    return f"CASE {currency_column} {whens} ELSE 2 END"


def money(key: str, column: str, currency: str = "currency") -> Field:
    """`Money { amount currency }`: the amount rounded half-up to the currency's minor unit, as text."""
    amount = f"round({{r}}.{column}, {minor_units('{r}.' + currency)})::text"
    return Field(
        key,
        f"json_build_object('amount', {amount}, 'currency', {{r}}.{currency})",
        "{ amount currency }",
    )


def column(key: str, name: str, *, text: bool = False) -> Field:
    """A column as is (strings, enums, dates, booleans, integers), or as text (decimals)."""
    return Field(key, f"{{r}}.{name}::text" if text else f"{{r}}.{name}")


TIME_ENTRIES = Level(
    "timeEntries",
    "TimeEntry",
    "work_timeentry",
    "task_id",
    2,
    (global_id("TimeEntry"), column("hours", "hours", text=True), column("billable", "billable")),
)
TASKS = Level(
    "tasks",
    "Task",
    "work_task",
    "job_id",
    4,
    (
        global_id("Task"),
        column("title", "title"),
        column("status", "status"),
        column("priority", "priority"),
        column("dueDate", "due_date"),
        column("actualHours", "actual_hours", text=True),
    ),
    (TIME_ENTRIES,),
)
COSTS = Level(
    "costs",
    "JobCost",
    "work_jobcost",
    "job_id",
    5,
    (
        global_id("JobCost"),
        column("kind", "kind"),
        money("amount", "amount"),
        column("approvalStatus", "approval_status"),
    ),
)
JOBS = Level(
    "jobs",
    "Job",
    "work_job",
    "order_id",
    3,
    (
        global_id("Job"),
        column("name", "name"),
        column("status", "status"),
        column("budgetedHours", "budgeted_hours", text=True),
    ),
    (COSTS, TASKS),
)
SHIPMENTS = Level(
    "shipments",
    "Shipment",
    "shipping_shipment",
    "order_id",
    2,
    (
        global_id("Shipment"),
        column("kind", "kind"),
        column("status", "status"),
        column("trackingCode", "tracking_code"),
    ),
)
ORDER_FIELDS = (
    global_id("Order"),
    column("number", "number"),
    column("status", "status"),
    money("total", "total"),
)
ORDERS = Level("orders", "Order", "orders_order", "project_id", 10, ORDER_FIELDS, (JOBS, SHIPMENTS))
PROJECTS = Level(
    "projects",
    "Project",
    "projects_project",
    "",
    20,
    (global_id("Project"), column("code", "code"), column("name", "name"), column("status", "status")),
    (ORDERS,),
)
# `node(id:)` on an order: the order's fields and its jobs, without what hangs below them.
NODE_JOBS = Level("jobs", "Job", "work_job", "order_id", 3, JOBS.fields)


def selection(level: Level, first: str | None = None) -> str:
    inner = " ".join([*(f.graphql for f in level.fields), *(selection(child) for child in level.children)])
    return f"{level.field}(first: {first or level.first}) {{ edges {{ node {{ {inner} }} }} }}"


def tree_query() -> str:
    return f"query Tree($first: Int!) {{ {selection(PROJECTS, '$first')} }}"


def node_query() -> str:
    inner = " ".join([*(f.graphql for f in ORDER_FIELDS), selection(NODE_JOBS)])
    return f"query Node($id: ID!) {{ node(id: $id) {{ ... on Order {{ {inner} }} }} }}"


@dataclass(frozen=True)
class Read:
    name: str
    query: str
    description: str


READS = (
    Read(
        "tree20", tree_query(), "first 20 projects → orders → jobs → (costs, tasks → time entries), shipments"
    ),
    Read("tree1", tree_query(), "the same for the first project"),
    Read("node", node_query(), "node(id:) on one order, with its jobs"),
)
USERS = ("superuser", "bench")


def variables(read: str, order_global_id: str) -> dict:
    if read == "node":
        return {"id": order_global_id}
    return {"first": 20 if read == "tree20" else 1}


def records(data: dict) -> int:
    """Records (nodes) in a response's data."""
    count = 0

    def walk(value) -> None:
        nonlocal count
        if isinstance(value, dict):
            if "id" in value:
                count += 1
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return count

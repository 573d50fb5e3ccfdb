"""The data set's users, groups and object grants: a superuser, the benchmark user (view on every
second project through a group, view on a tenth of the orders directly) and noise grants for 200
other users and 20 groups. Steps of `data.Loader`, on its cursor and in its transaction."""

from django.contrib.auth import get_user_model

from backend.accounts.services import create_token
from backend.orders.models import Order
from backend.projects.models import Project
from backend.work.models import Job
from permissions.models import group_table, user_table
from permissions.scale import permission_pk

SUPERUSER = "bench-admin"
BENCH_USER = "bench-user"
BENCH_GROUP = "bench-viewers"
NOISE_USERS = 200
NOISE_GROUPS = 20
# Noise grants per other user (projects, orders, jobs) and per noise group (projects).
NOISE_PER_USER = {"projects": 10, "orders": 50, "jobs": 100}
NOISE_PROJECTS_PER_GROUP = 20
JOINED = "TIMESTAMPTZ '2026-01-05 08:00:00+00'"


def users(loader) -> None:
    users = get_user_model()
    superuser = users.objects.create_superuser(SUPERUSER, password=None)
    bench = users.objects.create_user(BENCH_USER, password=None)
    loader.user_ids = {"superuser": superuser.pk, "bench": bench.pk}
    loader.cursor.execute("INSERT INTO auth_group (name) VALUES (%s) RETURNING id", [BENCH_GROUP])
    (loader.bench_group,) = loader.cursor.fetchone()
    loader.cursor.execute(
        "INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [bench.pk, loader.bench_group]
    )
    table = users._meta.db_table
    loader._keep_rows(
        "noise_users",
        "username text",
        f"INSERT INTO {table} (password, is_superuser, username, first_name, last_name, email, is_staff,"
        " is_active, date_joined)"
        f" SELECT '!', false, 'bench-noise-' || g, '', '', '', false, true, {JOINED}"
        " FROM generate_series(0, %s - 1) g ORDER BY g",
        "username",
        [NOISE_USERS],
    )
    loader._keep_rows(
        "noise_groups",
        "name text",
        "INSERT INTO auth_group (name) SELECT 'bench-noise-group-' || g FROM generate_series(0, %s - 1) g"
        " ORDER BY g",
        "name",
        [NOISE_GROUPS],
    )
    loader.cursor.execute(
        "INSERT INTO auth_user_groups (user_id, group_id) SELECT u.id, g.id FROM bench_noise_users u"
        f" JOIN bench_noise_groups g ON g.n = u.n %% {NOISE_GROUPS}",
        [],
    )
    loader.result.inserted["users"] = 2 + NOISE_USERS


def bench_grants(loader) -> None:
    s = loader.scale
    # view on every second project, through the benchmark user's group
    loader._insert(
        "bench_project_grants",
        f"INSERT INTO {group_table(Project)._meta.db_table} (group_id, permission_id, content_object_id)"
        " SELECT %s, %s, p.id FROM bench_projects p WHERE p.n %% 2 = 1",
        [loader.bench_group, permission_pk(Project, "view")],
    )
    # view on a tenth of the orders (the fourth of each project's ten), to the user directly;
    # half of them sit under projects the user cannot see
    count = s.expected_rows()["bench_order_grants"]
    loader._insert(
        "bench_order_grants",
        f"INSERT INTO {user_table(Order)._meta.db_table} (user_id, permission_id, content_object_id)"
        " SELECT %s, %s, o.id FROM generate_series(0, %s - 1) k"
        " JOIN bench_orders o ON o.n = (k * %s / %s + 3) %% %s",
        [loader.user_ids["bench"], permission_pk(Order, "view"), count, s.orders, count, s.orders],
    )


def noise_grants(loader) -> None:
    s = loader.scale
    sizes = {"projects": s.projects, "orders": s.orders, "jobs": s.jobs}
    models = {"projects": Project, "orders": Order, "jobs": Job}
    for objects, per_user in NOISE_PER_USER.items():
        model, size = models[objects], sizes[objects]
        per_user = min(per_user, size)
        # user h gets objects (h·7919 + k) mod size for k < per_user: distinct for one user
        loader._insert(
            "noise_grants",
            f"INSERT INTO {user_table(model)._meta.db_table} (user_id, permission_id, content_object_id)"
            " SELECT u.id, (%s::int[])[1 + k %% 2], o.id FROM bench_noise_users u"
            " CROSS JOIN generate_series(0, %s - 1) k"
            " JOIN bench_" + objects + " o ON o.n = (u.n * 7919 + k) %% %s",
            [[permission_pk(model, "view"), permission_pk(model, "change")], per_user, size],
        )
    per_group = min(NOISE_PROJECTS_PER_GROUP, s.projects)
    loader._insert(
        "noise_grants",
        f"INSERT INTO {group_table(Project)._meta.db_table} (group_id, permission_id, content_object_id)"
        " SELECT g.id, %s, p.id FROM bench_noise_groups g CROSS JOIN generate_series(0, %s - 1) k"
        " JOIN bench_projects p ON p.n = (g.n * 104729 + k) %% %s",
        [permission_pk(Project, "view"), per_group, s.projects],
    )


def create_tokens() -> dict[str, str]:
    """A fresh API token for the superuser and for the benchmark user: {"superuser": …, "bench": …}."""
    users = get_user_model().objects
    return {
        role: create_token(user=users.get(username=name), name="benchmark")[1]
        for role, name in (("superuser", SUPERUSER), ("bench", BENCH_USER))
    }

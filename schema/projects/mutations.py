import strawberry

from backend.parties.models import Party
from backend.projects.models import Project
from backend.work.transitions import transition_work

from ..crud import create_mutation, delete_mutation, update_mutation
from ..enums import WorkStatusEnum
from ..payloads import payload
from ..status import transition_input, transition_mutation
from .inputs import ProjectCreateInput, ProjectUpdateInput
from .types import ProjectType

PROJECT_REFS = {"customer_id": Party, "internal_org_id": Party}


@strawberry.type
class ProjectMutation:
    project_create = create_mutation(
        Project,
        ProjectCreateInput,
        payload("ProjectCreatePayload", "project", ProjectType),
        "project",
        refs=PROJECT_REFS,
    )
    project_update = update_mutation(
        Project,
        ProjectUpdateInput,
        payload("ProjectUpdatePayload", "project", ProjectType),
        "project",
        refs=PROJECT_REFS,
    )
    project_delete = delete_mutation(Project)
    project_transition = transition_mutation(
        Project,
        transition_input("ProjectTransitionInput", WorkStatusEnum),
        payload("ProjectTransitionPayload", "project", ProjectType),
        "project",
        transition_work,
        "Move a project along the work flow.",
    )

import strawberry

from backend.parties.models import Party
from backend.projects.models import Project

from ..crud import create_mutation, delete_mutation, update_mutation
from ..payloads import payload
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

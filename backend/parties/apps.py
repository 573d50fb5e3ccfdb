from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "backend.parties"
    label = "parties"

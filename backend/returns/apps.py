from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "backend.returns"
    label = "returns"

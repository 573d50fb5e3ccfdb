from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "backend.bench"
    label = "bench"

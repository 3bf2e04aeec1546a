from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "plugins.consultation"
    label = "consultation"
    verbose_name = "征集调查"

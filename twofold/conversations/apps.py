from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "twofold.conversations"
    label = "conversations"

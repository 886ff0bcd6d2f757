from django.apps import AppConfig


class OcrConfig(AppConfig):
    name = "disan.ocr"
    label = "ocr"

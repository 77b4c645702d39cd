"""URLs for taking the questionnaire and reading profiles."""

app_name = "profiles"
urlpatterns: list = []

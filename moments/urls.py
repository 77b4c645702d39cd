"""URLs of the live-moments area (PRACTICE.md §7); every entry is named by its UUID."""

app_name = "moments"
urlpatterns: list = []

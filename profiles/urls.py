"""URLs for taking the questionnaire and reading profiles; every profile URL names a UUID."""

from django.urls import path

from profiles.views import account, answer, keep, report, support

app_name = "profiles"
urlpatterns = [
    path("start/", answer.start, name="start"),
    path("a/<uuid:public_id>/", answer.resume, name="resume"),
    path("a/<uuid:public_id>/page/<int:page>/", answer.answer_page, name="answer_page"),
    path("a/<uuid:public_id>/saved/", answer.saved, name="saved"),
    path("a/<uuid:public_id>/review/", answer.review, name="review"),
    path("a/<uuid:public_id>/attach/", answer.attach, name="attach"),
    path("r/<str:token>/", answer.resume_link, name="resume_link"),
    path("p/<uuid:public_id>/", report.report, name="report"),
    path("p/<uuid:public_id>/support/", support.profile_support, name="profile_support"),
    path("mine/", report.mine, name="mine"),
]
urlpatterns += account.urlpatterns
urlpatterns += report.urlpatterns
urlpatterns += keep.urlpatterns

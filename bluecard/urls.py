app_name = "bluecard"

urlpatterns: list = []

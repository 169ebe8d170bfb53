# stand-in (not packaged by Debian): the API docs page, not on any benchmarked path
from flask import Blueprint
def get_swaggerui_blueprint(url, api_url, config=None):
    return Blueprint("swagger_ui", __name__, url_prefix=url)

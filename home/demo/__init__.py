"""The demo site: `loader` builds it from the files in `content/` (`manage.py
load_demo_content`), `working_groups` fills the members' area through the groups app's
public services. A tool for `make run` and the tests, not part of the running portal.
"""

from wagtail import hooks

from .audit import ACTIONS


@hooks.register("register_log_actions")
def register_security_actions(actions):
    """Security events appear, labelled, in the admin's Reports → Site history."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)

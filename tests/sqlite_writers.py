"""Many writers at once against the SQLite file that `make run` uses (run as a script).

Each thread opens its own connection and, in a loop, runs the transaction that failed
under `make run`: it reads first, then writes a row and queues an email (which enqueues a
task for the worker). Prints one JSON line: how many transactions ran and the errors.
"""

import json
import os
import sys
import threading

import django

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
TRANSACTIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 40


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from portal.outbox import email_store

    user_model = get_user_model()
    done: list[int] = []
    errors: list[str] = []

    def write(thread: int) -> None:
        try:
            for number in range(TRANSACTIONS):
                with transaction.atomic():
                    # A read before the write: under SQLite's default (deferred) transactions
                    # this is what turns a busy database into an immediate "database is locked".
                    user_model.objects.filter(is_active=True).count()
                    user = user_model.objects.create(
                        username=f"writer-{thread}-{number}", email=f"writer-{thread}-{number}@example.org"
                    )
                    email_store(to=[user.email], subject="Concurrent write", body_text="A test message.")
                done.append(1)
        except Exception as error:  # every kind counts: the test reports them all
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"transactions": len(done), "errors": errors}))


if __name__ == "__main__":
    main()

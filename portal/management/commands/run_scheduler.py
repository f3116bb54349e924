import signal

from django.core.management.base import BaseCommand

from portal.schedule import SCHEDULE, scheduler_build


class Command(BaseCommand):
    help = (
        "Run the scheduler: enqueue each recurring job (portal.schedule) when it is due, for the task "
        "worker (db_worker) to run. Runs until stopped (SIGINT or SIGTERM). Several may run at once: "
        "each due job is enqueued once."
    )

    def handle(self, *args, **options):
        scheduler = scheduler_build()

        def stop(signum, frame):
            scheduler.shutdown(wait=False)

        previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
        for job in SCHEDULE.values():
            self.stdout.write(f"{job.cron:<12} {job.name}")
        self.stdout.write(self.style.SUCCESS(f"Scheduler started with {len(SCHEDULE)} jobs."))
        try:
            scheduler.start()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Scheduler stopped.")

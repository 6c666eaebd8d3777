"""The `xuncha` command: demo, serve, and a pass-through to Django's management commands."""

from __future__ import annotations

import argparse
import atexit
import os
import subprocess
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.config.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xuncha manage", *argv])


def _prepare_database(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _start_worker() -> subprocess.Popen:
    """The task-queue consumer (reminders, 催办, scans) beside the web server, stopped with it."""
    proc = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker"], env=os.environ.copy())
    atexit.register(_stop, proc, os.getpid())
    return proc


def _stop(proc: subprocess.Popen, owner_pid: int) -> None:
    # gunicorn forks its workers after this; only the process that started the worker stops it.
    if os.getpid() == owner_pid and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def worker() -> None:
    """Run the huey consumer: periodic jobs (deadline reminders) and queued background work."""
    _setup_django()
    from django.core.management import call_command

    print("Xuncha task queue worker started (deadline reminders, escalations, paper-rectification scans).",
          flush=True)
    call_command("run_huey")


def serve(host: str, port: int, workers: int | None = None, with_worker: bool = True) -> None:
    """Serve with gunicorn; WhiteNoise serves the static files from inside the app."""
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    call_command("collectstatic", interactive=False, verbosity=0)
    from xuncha.config.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers or int(os.environ.get("XUNCHA_WORKERS", "3")),
        "threads": int(os.environ.get("XUNCHA_THREADS", "4")),
        "worker_class": "gthread",
        "timeout": 60,
        # No access log: public report pages must leave no IP address in the application's logs.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    if with_worker:
        _start_worker()
    db = settings.DATABASES["default"]
    print(f"Xuncha 巡察工作平台 is serving on http://{host}:{port}/  (database: {db['ENGINE'].rsplit('.', 1)[-1]})",
          flush=True)
    Server().run()


def demo(*, scale: str, reset: bool, no_serve: bool, host: str, port: int, with_worker: bool = True) -> None:
    _setup_django()
    _prepare_database()
    from xuncha.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD, build_demo, demo_is_built

    if reset or not demo_is_built():
        print(f"Building the demo ({scale}) …", flush=True)
        summary = build_demo(scale=scale, reset=reset)
        print(summary, flush=True)
    else:
        print("The demo county is already built (use --reset to rebuild it).", flush=True)
    print()
    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    from xuncha.org.models import User

    # Some accounts belong to stories built at county scale only.
    existing = set(User.objects.filter(username__in=[u for u, _d in DEMO_ACCOUNTS]).values_list("username", flat=True))
    for username, description in DEMO_ACCOUNTS:
        if username in existing:
            print(f"  {username:<10} {description}")
    print()
    if not no_serve:
        print(f"Open http://{host}:{port}/ and log in with one of the accounts above.", flush=True)
        serve(host, port, with_worker=with_worker)


def _pool(args, p_verify: argparse.ArgumentParser) -> int:
    from xuncha.pool import commands

    if args.pool_command == "verify-draw":
        if (args.draw_id is None) == (args.record is None):
            p_verify.error("give a draw number or --record FILE")
        if args.record:
            return commands.verify_draw(None, args.record)
        _setup_django()
        return commands.verify_draw(args.draw_id, None)
    _setup_django()
    return commands.export_draw(args.draw_id)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        _manage(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="xuncha", description="巡察工作平台 Xuncha")
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="build the demo county and serve it")
    p_demo.add_argument("--no-serve", action="store_true", help="build only, do not serve")
    p_demo.add_argument("--scale", choices=["county", "province"], default="county")
    p_demo.add_argument("--reset", action="store_true", help="wipe the database and rebuild the demo")
    p_demo.add_argument("--host", default="127.0.0.1")
    p_demo.add_argument("--port", type=int, default=8000)
    p_demo.add_argument("--no-worker", action="store_true", help="do not start the task-queue worker")
    p_serve = sub.add_parser("serve", help="serve the platform (gunicorn, static files by WhiteNoise)")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--workers", type=int, default=None)
    p_serve.add_argument("--no-worker", action="store_true",
                         help="do not start the task-queue worker (run `xuncha worker` separately)")
    sub.add_parser("worker", help="run the task-queue worker (deadline reminders and background jobs)")
    sub.add_parser("manage", help="Django management commands: xuncha manage <command> …")
    p_pool = sub.add_parser("pool", help="the talent pool: replay (verify) a group draw from its record")
    pool_sub = p_pool.add_subparsers(dest="pool_command", required=True)
    p_verify = pool_sub.add_parser("verify-draw", help="replay a draw and check it picks the recorded group")
    p_verify.add_argument("draw_id", type=int, nargs="?", help="the draw's number (as shown on its page)")
    p_verify.add_argument("--record", help="a record exported with `export-draw`, checked without the database")
    p_export = pool_sub.add_parser("export-draw", help="print a drawn draw's record as JSON, for anyone to verify")
    p_export.add_argument("draw_id", type=int)
    sub.add_parser("compile-messages", help="compile the zh-hans translations (no GNU gettext needed)")
    from xuncha.crosscheck import command as crosscheck_command

    crosscheck_command.add_arguments(sub.add_parser("crosscheck", help="大数据比对: run the roster cross-checks"))
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo(scale=args.scale, reset=args.reset, no_serve=args.no_serve, host=args.host, port=args.port,
             with_worker=not args.no_worker)
    elif args.command == "serve":
        _setup_django()
        _prepare_database()
        serve(args.host, args.port, args.workers, with_worker=not args.no_worker)
    elif args.command == "pool":
        sys.exit(_pool(args, p_verify))
    elif args.command == "crosscheck":
        sys.exit(crosscheck_command.run_command(args))
    elif args.command == "worker":
        worker()
    elif args.command == "compile-messages":
        from xuncha.i18n import compile_messages

        for path in compile_messages():
            print(f"compiled {path}")


if __name__ == "__main__":
    main()

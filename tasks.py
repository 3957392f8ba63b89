#!/usr/bin/env python3
"""Dorpsplein task runner: build, preview, check and publish the site.

A thin click layer: it parses options, calls `dorpsplein.*` and turns their
errors into readable messages with a non-zero exit.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sys
from pathlib import Path

import click

from dorpsplein import __version__
from dorpsplein.errors import DorpspleinError
from dorpsplein.settings import ROOT, load_settings


class Group(click.Group):
    """Turns every DorpspleinError into a one-line message and exit 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DorpspleinError as exc:
            raise click.ClickException(str(exc)) from exc


def content_options(func):
    """--content and --output, shared by the commands that build."""

    @click.option("--content", type=click.Path(file_okay=False, path_type=Path),
                  help="Content folder to read (default: content/).")
    @click.option("--output", type=click.Path(file_okay=False, path_type=Path),
                  help="Folder to write the site to (default: output/).")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


# The variables of the live addresses (dorpsplein/production.py checks their values): every production job maps them.
ADDRESS_VARIABLES = ("DORPSPLEIN_SITEURL", "DORPSPLEIN_FORMS_URL")


def ci_environment(*names: str, when: str | None = None, unless: str | None = None):
    """Declare the DORPSPLEIN_* variables a CI job that runs this command must pass to it: always, only
    with the flag `when`, or not with the flag `unless`. tests/publish/test_workflows.py reads every
    workflow and fails when a command it runs lacks one of them."""

    def declare(command: click.Command) -> click.Command:
        command.ci_environment = (names, when, unless)
        return command

    return declare


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dorpsplein")
@click.option("-v", "--verbose", is_flag=True, help="Show what Pelican is doing.")
def cli(verbose):
    """Dorpsplein: the online village square of Gemeente Voorbeeld.

    \b
    Example:
      python tasks.py build && python tasks.py serve
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s", force=True)


@ci_environment(*ADDRESS_VARIABLES, when="production")
@cli.command()
@click.option("--production", is_flag=True,
              help="Use publishconf.py; any warning fails the build and leaves output/ as it was.")
@content_options
def build(production, content, output):
    """Build the site from Markdown into output/.

    \b
    Example:
      python tasks.py build --production
      python tasks.py build --content ~/andere-site --output /tmp/site
    """
    from dorpsplein.build import build as build_site
    from dorpsplein.production import check_release, check_settings

    settings = load_settings(production=production, content=content, output=output)
    if production:
        check_settings(settings)
    result = build_site(settings, strict=production, release_check=check_release if production else None)
    click.echo(f"Built {'production' if production else 'development'} site in {result.output}"
               + (f" with {len(result.warnings)} warning(s)" if result.warnings else ""))


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port on 127.0.0.1 to serve the preview on.")
@click.option("--forms-port", default=8001, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the forms service that serve starts and passes /formulieren/ to.")
@content_options
def serve(port, forms_port, content, output):
    """Build, serve the site on http://127.0.0.1:8000 and rebuild on every change.

    As in production, the forms service answers under /formulieren/ of the same address: serve
    starts it (development settings: e-mails are printed unless DORPSPLEIN_SMTP_URL is set).

    \b
    Example:
      python tasks.py serve --port 8080
    """
    from dorpsplein.build import build as build_site
    from dorpsplein.serve import start_forms_service, start_server, watch_and_rebuild

    preview = {"SITEURL": "", "PREVIEW_URL": f"http://127.0.0.1:{port}"}

    def preview_settings():
        return load_settings(content=content, output=output, extra=preview)

    settings = preview_settings()
    build_site(settings)
    start_server(Path(settings["OUTPUT_PATH"]), port, forms_port=forms_port)
    click.echo(start_forms_service(forms_port, preview)[1])
    click.echo(f"Serving the preview on http://127.0.0.1:{port}/ (Ctrl+C stops)")

    def rebuild(changed):
        click.echo(f"Changed: {', '.join(sorted(Path(p).name for p in changed))}; rebuilding…")
        try:
            build_site(preview_settings())  # settings again: pelicanconf.py may be what changed
        except DorpspleinError as exc:  # keep serving; the next save may fix it
            click.echo(f"Error: {exc}", err=True)

    watched = [Path(settings["PATH"]), Path(settings["THEME"]), ROOT / "plugins", ROOT / "pelicanconf.py"]
    try:
        watch_and_rebuild(watched, rebuild)
    except KeyboardInterrupt:
        pass


@cli.command()
def clean():
    """Remove the built site and Pelican's content cache.

    \b
    Example:
      python tasks.py clean
    """
    settings = load_settings()
    for folder in (Path(settings["OUTPUT_PATH"]), ROOT / ".cache"):
        if folder.exists():
            shutil.rmtree(folder)
            click.echo(f"Removed {folder}")


@cli.command()
@click.argument("title")
@click.option("--category", default="Nieuws", show_default=True, help="Category of the post.")
@click.option("--tags", default="", help="Comma-separated tags, e.g. 'verkeer, dorpsstraat'.")
@click.option("--date", help="Publication date, e.g. '2026-12-01 09:00' (default: now).")
@click.option("--publish/--draft", "publish", default=False,
              help="Publish on the next build, or keep as draft (default).")
@click.option("--content", type=click.Path(file_okay=False, path_type=Path),
              help="Content folder (default: content/).")
def new(title, category, tags, date, publish, content):
    """Start a new post as a Markdown file with its metadata filled in.

    The post is a draft until you remove its 'Status: draft' line (or use --publish).

    \b
    Example:
      python tasks.py new "Dorpsstraat weer open" --category Werkzaamheden --tags "verkeer, dorpsstraat"
    """
    from dorpsplein.new_post import create_post

    path = create_post(load_settings(content=content), title, category,
                       tuple(tags.split(",")), date, draft=not publish)
    click.echo(f"Created {path}")


@cli.command()
@click.option("--content", type=click.Path(file_okay=False, path_type=Path),
              help="Content folder to check (default: content/).")
@click.option("--built", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Check the links of this built site instead: each link to our own site must reach a file in it.")
def check(content, built):
    """Check the content for mistakes: one line per problem, exit 1 on errors.

    Lines read `file:line: error|warning: message`. With --built, the links of a built site
    instead: one `page: link` line per link to a page or file the site does not have.

    \b
    Example:
      python tasks.py check
      python tasks.py check --built output
    """
    if built is not None:
        return _check_built(built)
    from dorpsplein.check import check_content

    problems = check_content(load_settings(content=content))
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors:
        sys.exit(1)


def _check_built(built: Path) -> None:
    from dorpsplein.linkcheck import dead_links, own_addresses

    # Development and production builds: links to the preview address and to SITEURL are ours.
    settings = [load_settings()]
    try:
        settings.append(load_settings(production=True))
    except DorpspleinError as exc:  # say why SITEURL's links are not judged, then check the rest
        click.echo(f"warning: production settings not read ({exc}); links to SITEURL are not checked", err=True)
    bases, forms = own_addresses(*settings)
    dead = dead_links(built, bases, forms)
    for link in dead:
        click.echo(str(link))
    click.echo(f"{len(dead)} dead link(s) in {built}", err=True)
    if dead:
        sys.exit(1)


@cli.command()
@click.argument("logs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write this run's report (files, malformed lines, months) as JSON here.")
@click.option("--state", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the monthly aggregates and read positions (default: STATISTICS_STATE_PATH).")
@click.option("--site", "site_source", metavar="DIR|SITEMAP|URL",
              help="The site's addresses, the only paths ever named: a built folder, a sitemap.xml or its URL "
                   "(default: ANALYTICS_SITE, else output/ when built, else the live site's sitemap).")
def analytics(logs, json_path, state, site_source):
    """Count visits from web-server access logs (combined format, plain or .gz), without cookies.

    Only new lines are read: a rerun counts every line once, also after log rotation. Writes
    monthly aggregates (no addresses, user agents or hashes) to state/analytics/YYYY-MM.json.
    Pages and 404s are named only when they exist on the site; the rest counts as "other".
    A log that cannot be read (or a truncated .gz) is skipped with a warning; the exit code
    is 1 only when no log could be read.

    \b
    Example:
      python tasks.py analytics /var/log/nginx/access.log*
      python tasks.py analytics access.log.2.gz access.log.1 access.log --json run.json
    """
    from dorpsplein.analytics import analyse, default_site_source, shape_from_settings, site_paths
    from dorpsplein.analytics.summary import report_json, summary_lines
    from dorpsplein.analytics_schema import write_json_atomically

    settings = load_settings(production=True)  # the logs are the live site's: its address is "internal"
    state = state or ROOT / settings.get("STATISTICS_STATE_PATH", "state/analytics")
    site_source = site_source or default_site_source(settings, ROOT)
    known = site_paths(site_source)
    click.echo(f"The site's addresses: {len(known):,} from {site_source}", err=True)
    report = analyse(list(logs), state, shape_from_settings(settings, known))
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for line in summary_lines(report):
        click.echo(line)
    if json_path:
        write_json_atomically(json_path, report_json(report))


@cli.group()
def forms():
    """The forms service: newsletter sign-up, confirmation, unsubscribe and the contact form.

    \b
    Example:
      python tasks.py forms serve
    """


production_forms_option = click.option(
    "--production", is_flag=True,
    help="Use publishconf.py; requires DORPSPLEIN_SECRET_KEY and DORPSPLEIN_SMTP_URL.")


@ci_environment(*ADDRESS_VARIABLES, "DORPSPLEIN_SECRET_KEY", "DORPSPLEIN_SMTP_URL", "DORPSPLEIN_DATABASE_URL",
                when="production")
@forms.command("serve")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535),
              help="Port on 127.0.0.1 (`serve` and nginx pass /formulieren/ to it).")
@production_forms_option
def forms_serve(port, production):
    """Run the forms service on 127.0.0.1:8001, answering under FORMS_URL's path (/formulieren/).

    The site's pages reach it on their own origin: `serve` (which also starts it) and nginx
    pass /formulieren/ to this port, and the links in e-mails point to FORMS_URL. For
    development: without DORPSPLEIN_SMTP_URL the e-mails, with their links, are printed here
    instead of sent. On a server, run it under a WSGI server instead (dorpsplein/forms/README.md).

    \b
    Example:
      python tasks.py forms serve --port 8001
    """
    from dorpsplein.forms.config import path_of
    from dorpsplein.forms.service import build_app, listen

    app = build_app(production)
    server = listen(app, port)
    path = path_of(app.extensions["dorpsplein_forms"].config.forms_url)
    click.echo(f"Forms service on http://127.0.0.1:{port}{path}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@forms.command("prune")
def forms_prune():
    """Delete personal data kept long enough (content/pages/privacy.md): sign-ups unconfirmed for
    FORMS_PRUNE_DAYS, addresses unsubscribed for FORMS_UNSUBSCRIBED_RETENTION_DAYS and contact messages
    older than FORMS_CONTACT_RETENTION_DAYS. Runs daily from deploy/systemd.

    \b
    Example:
      python tasks.py forms prune
    """
    from dorpsplein.forms.service import prune_personal_data

    removed = prune_personal_data()
    click.echo("Deleted " + ", ".join(f"{number} {kind}" for kind, number in removed.items()))


@forms.command("resend")
@production_forms_option
def forms_resend(production):
    """Send what waits in the outbox now, without waiting for its retry time (contact messages to
    CONTACT_EMAIL, sign-up e-mails); the service's worker does this by itself. Exit 1 if some still fail.

    \b
    Example:
      python tasks.py forms resend --production
    """
    from dorpsplein.forms.service import resend_contact_messages

    sent, failed, failures = resend_contact_messages(production)
    for failure in failures:
        click.echo(f"Not sent: {failure}", err=True)
    click.echo(f"Sent {sent} e-mail(s) from the outbox; {failed} not sent")
    if failed:
        sys.exit(1)


@cli.group()
def db():
    """The database of the forms service and the newsletter (DORPSPLEIN_DATABASE_URL).

    \b
    Example:
      python tasks.py db upgrade
    """


@db.command("upgrade")
def db_upgrade():
    """Create the database or bring its schema to the newest revision (every command does this too).

    Run it on a server after updating, before restarting the forms service.

    \b
    Example:
      DORPSPLEIN_DATABASE_URL=postgresql+psycopg://dorpsplein@db/dorpsplein python tasks.py db upgrade
    """
    from dorpsplein.db.database import head_revision, migrate_database

    _engine, before = migrate_database()
    click.echo(f"Database at revision {head_revision()} (was {before or 'empty'})")


@cli.group()
def newsletter():
    """Newsletters and their subscribers.

    \b
    Example:
      python tasks.py newsletter subscribers count
    """


@newsletter.group("subscribers")
def newsletter_subscribers():
    """The subscriber database (DORPSPLEIN_DATABASE_URL; default ~/.local/share/dorpsplein/subscribers.sqlite3).

    \b
    Example:
      python tasks.py newsletter subscribers list --status confirmed
    """


@newsletter_subscribers.command("list")
@click.option("--list", "list_name", help="Only this list, e.g. extern.")
@click.option("--status", type=click.Choice(["pending", "confirmed", "unsubscribed"]), help="Only this status.")
def subscribers_list(list_name, status):
    """Print subscribers, one a line, tab-separated: e-mail, list, status, since, consent version.

    \b
    Example:
      python tasks.py newsletter subscribers list --list extern --status confirmed
    """
    from dorpsplein.forms.service import subscribers

    click.echo("email\tlist\tstatus\tsince\tconsent")
    for row in subscribers(list_name, status):
        since = row.unsubscribed_at or row.confirmed_at or row.requested_at
        click.echo(f"{row.email}\t{row.list_name}\t{row.status}\t{since.isoformat(timespec='seconds')}\t"
                   f"{row.consent_version or '-'}")


@newsletter_subscribers.command("count")
def subscribers_count():
    """Print the number of subscribers per list and status.

    \b
    Example:
      python tasks.py newsletter subscribers count
    """
    from dorpsplein.forms.service import subscriber_counts

    for (list_name, status), number in subscriber_counts().items():
        click.echo(f"{list_name}\t{status}\t{number}")


@newsletter_subscribers.command("prune")
@click.option("--days", type=click.IntRange(1), help="Age in days (default: FORMS_PRUNE_DAYS, 7).")
def subscribers_prune(days):
    """Delete sign-ups that were never confirmed (run daily, e.g. from cron).

    \b
    Example:
      python tasks.py newsletter subscribers prune
    """
    from dorpsplein.forms.service import prune_unconfirmed_signups

    deleted, days = prune_unconfirmed_signups(days)
    click.echo(f"Deleted {deleted} sign-up(s) left unconfirmed for more than {days} days")


@newsletter_subscribers.command("forget")
@click.argument("email")
def subscribers_forget(email):
    """Erase every trace of a person (AVG right to erasure): subscriptions on every list, deliveries,
    pending sign-ups and contact messages; prints what was removed. Letter case does not matter.

    \b
    Example:
      python tasks.py newsletter subscribers forget j.jansen@voorbeeld.nl
    """
    from dorpsplein.forms.service import forget_person

    removed = forget_person(email)
    if not any(removed.values()):
        click.echo(f"Nothing stored about {email}")
        return
    click.echo(f"Forgot {email}:")
    for kind, number in removed.items():
        click.echo(f"  {kind}: {number}")


@newsletter_subscribers.command("add")
@click.argument("email")
@click.option("--list", "list_name", default="extern", show_default=True, help="The list, e.g. intern.")
@click.option("--consent", required=True, help="Proof of consent: where and when the person agreed (AVG).")
def subscribers_add(email, list_name, consent):
    """Add a confirmed subscriber whose consent was given elsewhere (a paper form, a meeting).

    \b
    Example:
      python tasks.py newsletter subscribers add j.jansen@voorbeeld.nl --list intern --consent "Intranet, 2026-11-20"
    """
    from dorpsplein.newsletter.admin import add
    from dorpsplein.subscribers import open_database

    row = add(open_database(), email, list_name, consent, load_settings().get("NEWSLETTER_LISTS") or {})
    click.echo(f"Added {row.email} to {row.list_name} (confirmed)")


@newsletter_subscribers.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", help="List for rows without a 'list' column value.")
def subscribers_import(csv_file, list_name):
    """Import confirmed subscribers from CSV with columns email,consent_note[,list]; all rows or none.

    \b
    Example:
      python tasks.py newsletter subscribers import aanmeldingen.csv --list extern
    """
    from dorpsplein.newsletter.admin import import_csv
    from dorpsplein.subscribers import open_database

    count = import_csv(open_database(), csv_file, list_name, load_settings().get("NEWSLETTER_LISTS") or {})
    click.echo(f"Imported {count} subscriber(s) from {csv_file}")


@newsletter_subscribers.command("remove")
@click.argument("email")
@click.option("--list", "list_name", help="Only this list (default: every list).")
def subscribers_remove(email, list_name):
    """Delete an address entirely, with its delivery records (AVG right to erasure); exit 1 if absent.

    \b
    Example:
      python tasks.py newsletter subscribers remove j.jansen@voorbeeld.nl
    """
    from dorpsplein.newsletter.admin import remove_address
    from dorpsplein.subscribers import open_database

    removed = remove_address(open_database(), email, list_name, load_settings().get("NEWSLETTER_LISTS") or {})
    if not removed:
        raise DorpspleinError(f"{email} is not on {'list ' + list_name if list_name else 'any list'}")
    click.echo(f"Removed {email} from {', '.join(removed)}")


@ci_environment(*ADDRESS_VARIABLES, "DORPSPLEIN_SMTP_URL", "DORPSPLEIN_SECRET_KEY", "DORPSPLEIN_DATABASE_URL",
                when="production")
@newsletter.command("send")
@click.option("--list", "list_name", default="extern", show_default=True, help="The list to send to.")
@click.option("--period", help="Edition to send, e.g. 2026-11 (default: the newest one built).")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="Send a one-off mailing from this Markdown file instead of an overview.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent and to how many; send nothing.")
@click.option("--production", is_flag=True, help="Use publishconf.py (the live site's addresses).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path),
              help="Built site to take the edition from (default: output/).")
def newsletter_send(list_name, period, file, dry_run, production, output):
    """Send a newsletter edition to a list: each subscriber exactly once, also when run again.

    A rerun after a crash or an SMTP failure sends only what is missing; temporary refusals (4xx)
    are tried again on the next run, permanent ones (5xx) are reported. Exit 1 while anything is left.

    \b
    Example:
      python tasks.py build --production && python tasks.py newsletter send --period 2026-11 --list extern
      python tasks.py newsletter send --file content/eenmalig/welkom.md --list extern --dry-run
    """
    from rich.progress import Progress

    from dorpsplein.newsletter.service import send
    from dorpsplein.newsletter.summary import summary_lines

    settings = load_settings(production=production, output=output)
    with Progress(transient=True) as bar:
        task = bar.add_task("Versturen", total=None)
        edition, report = send(settings, list_name, period, file, dry_run, production=production,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    for line in summary_lines(edition, report):
        click.echo(line)
    if not dry_run and not report.complete:
        sys.exit(1)


@cli.group()
def social():
    """Post to Mastodon and Bluesky: new posts exactly once, one-off posts, accounts and follows.

    Secrets only from the environment: DORPSPLEIN_MASTODON_TOKEN, DORPSPLEIN_BLUESKY_PASSWORD.

    \b
    Example:
      python tasks.py social push --dry-run
    """


def _social_network_option(func):
    return click.option("--network", type=click.Choice(["mastodon", "bluesky"]),
                        help="Only this network (default: SOCIAL_NETWORKS).")(func)


def _print_social(table, lines=()):
    from rich.console import Console
    from rich.text import Text

    # Not a terminal (CI logs, pipes): wide enough that rows stay whole. Lines are Text: titles and
    # server messages are never read as markup or :emoji: codes.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    for line in lines:
        console.print(Text(line))
    console.print(table)


@ci_environment("DORPSPLEIN_MASTODON_TOKEN", "DORPSPLEIN_BLUESKY_PASSWORD", unless="dry_run")
@social.command("push")
@click.option("--feed", help="JSON Feed to read: a path or the live site's URL (default: output/feeds/all.json).")
@_social_network_option
@click.option("--dry-run", is_flag=True, help="Show exactly what would be posted, with lengths; send or write nothing.")
@click.option("--ledger", type=click.Path(dir_okay=False, path_type=Path),
              help="Ledger file (default: SOCIAL_LEDGER, state/social-ledger.jsonl).")
def social_push(feed, network, dry_run, ledger):
    """Post new posts from the JSON Feed, each exactly once per network; exit 1 if anything failed.

    \b
    Example:
      python tasks.py build --production && python tasks.py social push --dry-run
      python tasks.py social push --feed https://dorpsplein.voorbeeld.nl/feeds/all.json --network mastodon
    """
    from dorpsplein.social import push
    from dorpsplein.social.summary import counts, dry_run_text, push_table, skipped_lines

    report = push(load_settings(), feed=feed, network=network, dry_run=dry_run, ledger_path=ledger)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:  # a network that failed as a whole, in one line; the others still ran
        click.echo(f"Error: {error}", err=True)
    if dry_run:
        click.echo(dry_run_text(report))
    _print_social(push_table(report), skipped_lines(report))
    click.echo(counts(report))
    if report.failed:
        sys.exit(1)


@social.command("post")
@click.argument("text")
@click.option("--link", help="Address to link to (counted as 23 characters on Mastodon).")
@click.option("--image", type=click.Path(dir_okay=False, path_type=Path), help="Image file to add.")
@click.option("--alt", help="Alt text of the image (required with --image).")
@_social_network_option
@click.option("--dry-run", is_flag=True, help="Show the post for each network; send and write nothing.")
def social_post(text, link, image, alt, network, dry_run):
    """Post a one-off message (such as the kick-off call), with the same limits and ledger.

    \b
    Example:
      python tasks.py social post "Volg ons nieuws ook hier!" --link https://dorpsplein.voorbeeld.nl/volgen/
      python tasks.py social post "Kom naar de kerstmarkt" --image affiche.jpg --alt "Affiche van de kerstmarkt"
    """
    from dorpsplein.social import post
    from dorpsplein.social.summary import counts, dry_run_text, push_table

    report = post(load_settings(), text, link=link, image=str(image) if image else None, alt=alt,
                  network=network, dry_run=dry_run)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if dry_run:
        click.echo(dry_run_text(report))
    _print_social(push_table(report))
    click.echo(counts(report))
    if report.failed:
        sys.exit(1)


@social.command("check")
@_social_network_option
def social_check(network):
    """Log in to each configured account and show handle, server and what is wrong (never a token).

    \b
    Example:
      DORPSPLEIN_MASTODON_TOKEN=… DORPSPLEIN_BLUESKY_PASSWORD=… python tasks.py social check
    """
    from dorpsplein.social import check_accounts
    from dorpsplein.social.summary import check_table

    results = check_accounts(load_settings(), network=network)
    _print_social(check_table(results))
    if not all(result.ok for result in results):
        sys.exit(1)


@social.command("follow")
@_social_network_option
def social_follow(network):
    """Follow the related accounts listed in content/channels.toml; safe to repeat.

    \b
    Example:
      python tasks.py social follow --network mastodon
    """
    from dorpsplein.social import follow_related
    from dorpsplein.social.summary import follow_table

    results = follow_related(load_settings(), network=network)
    _print_social(follow_table(results))
    if any(result.failed for result in results):
        sys.exit(1)


@ci_environment(*ADDRESS_VARIABLES, "DORPSPLEIN_PUBLISH_TARGETS", "DORPSPLEIN_PUBLISH_TARGET")
@cli.command("publish")
@click.option("--target", help="A name from PUBLISH_TARGETS (default: PUBLISH_TARGET).")
@click.option("--dry-run", is_flag=True, help="Check, build and compress, then list what would change; send nothing.")
def publish_command(target, dry_run):
    """Check the content, build the production site, compress it and deploy it to a target.

    Targets (PUBLISH_TARGETS): dir:/path, rsync:user@host:/path (releases and an atomic
    switch) or s3://bucket/prefix (S3 keys from DORPSPLEIN_S3_ACCESS_KEY_ID/_SECRET_ACCESS_KEY).

    \b
    Example:
      python tasks.py publish --dry-run
      DORPSPLEIN_PUBLISH_TARGETS='{"test": "dir:/srv/test"}' python tasks.py publish --target test
    """
    from rich.progress import Progress

    from dorpsplein.publish import publish, summary_lines

    with Progress(transient=True, disable=not sys.stdout.isatty()) as bar:  # no bar in CI logs
        task = bar.add_task("Publiceren", total=None)
        report = publish(load_settings(production=True), target, dry_run,
                         progress=lambda step, done, total: bar.update(task, description=step, completed=done,
                                                                       total=total or None))
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for line in summary_lines(report):
        click.echo(line)


if __name__ == "__main__":
    cli()

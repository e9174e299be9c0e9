"""The scaled profile (`make run-scaled`): several Rasa and action servers behind nginx, on PostgreSQL and Redis.

Configuration, not a fork: the launcher's own Supervisor runs every process (restarts, logs, SIGTERM), the Rasa
replicas read `endpoints-scaled.yml` (the cached SQL tracker store on PostgreSQL, bot/server/lock_store.py on Redis)
with the addresses and credentials from the environment (POSTGRES_*, REDIS_*), and each replica gets its copy of it
from the launcher as in `make run`, with the action endpoint pointing at nginx. A REST call carries the conversation
id and the tracker lives in PostgreSQL, so nginx balances every message afresh (no sticky sessions); the lock store
serialises the messages of one conversation across replicas.

PostgreSQL and Redis are started here only when POSTGRES_HOST / REDIS_HOST are not given: a cluster of our own in
DATA_DIR/pg (run as the `postgres` user when we are root: PostgreSQL refuses root; see `cluster_dir`), a Redis with
its own config in DATA_DIR/redis; their passwords are made once and kept in DATA_DIR (mode 0600), like the action
server's token.
nginx gets its own config, prefix and pid in DATA_DIR/nginx. Nothing listens beyond the launcher's --host.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from bot.server.secret import stored_secret
from bot.stack import ROOT, Service, Stack, actions_command, console_command, rasa_command, web_command
from clinic.database.revisions import upgrade

DATA_DIR = ROOT / "var" / "scaled"
FIRST_REPLICA_PORT = 5105  # Rasa replicas from here, then the action servers
POSTGRES_OS_USER = "postgres"  # who runs our own cluster when the launcher is root


@dataclass(frozen=True)
class Engines:
    """Where PostgreSQL and Redis are, the credentials, and whether this machine runs them (no *_HOST given)."""

    data_dir: Path
    postgres_host: str
    postgres_port: int
    postgres_user: str
    postgres_password: str
    postgres_db: str
    redis_host: str
    redis_port: int
    redis_password: str
    local_postgres: bool
    local_redis: bool

    @classmethod
    def from_env(cls, data_dir: Path = DATA_DIR) -> Engines:
        env = os.environ
        return cls(
            data_dir=data_dir,
            postgres_host=env.get("POSTGRES_HOST") or "127.0.0.1",
            postgres_port=int(env.get("POSTGRES_PORT") or 5433),
            postgres_user=env.get("POSTGRES_USER") or "clinic",
            postgres_password=stored_secret("POSTGRES_PASSWORD", data_dir / "postgres.password"),
            postgres_db=env.get("POSTGRES_DB") or "clinic",
            redis_host=env.get("REDIS_HOST") or "127.0.0.1",
            redis_port=int(env.get("REDIS_PORT") or 6380),
            redis_password=stored_secret("REDIS_PASSWORD", data_dir / "redis.password"),
            local_postgres=not env.get("POSTGRES_HOST"),
            local_redis=not env.get("REDIS_HOST"),
        )

    def environment(self) -> dict[str, str]:
        """What endpoints-scaled.yml reads (Rasa, the action servers and the console expand ${...} in it)."""
        return {
            "POSTGRES_HOST": self.postgres_host,
            "POSTGRES_PORT": str(self.postgres_port),
            "POSTGRES_USER": self.postgres_user,
            "POSTGRES_PASSWORD": self.postgres_password,
            "POSTGRES_DB": self.postgres_db,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": self.redis_password,
        }

    def database_url(self, database: str | None = None) -> URL:
        return URL.create(
            "postgresql",
            username=self.postgres_user,
            password=self.postgres_password,
            host=self.postgres_host,
            port=self.postgres_port,
            database=database or self.postgres_db,
        )


@dataclass(frozen=True)
class Replicas:
    """How many Rasa and action servers, on which ports (Rasa's first, then the action servers')."""

    count: int
    first_port: int = FIRST_REPLICA_PORT

    def rasa_ports(self) -> list[int]:
        return [self.first_port + i for i in range(self.count)]

    def actions_ports(self) -> list[int]:
        return [self.first_port + self.count + i for i in range(self.count)]


def upstreams(variable: str, host: str, ports: list[int]) -> list[str]:
    """nginx's servers for one upstream: the environment's comma-separated host:port list (replicas on other
    machines), else this machine's replicas."""
    given = [address.strip() for address in os.environ.get(variable, "").split(",") if address.strip()]
    return given or [f"{host}:{port}" for port in ports]


def as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user (the Debian package's).

    setpriv changes user and execs, so the postmaster itself gets the launcher's SIGTERM and shuts down cleanly
    (runuser would stay in between and kill it after two seconds).
    """
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={POSTGRES_OS_USER}", f"--regid={POSTGRES_OS_USER}", "--init-groups", "--"]


def postgres_bin() -> Path:
    """The newest Debian PostgreSQL's binaries (postgresql-15 on bookworm), or PG_BIN."""
    given = os.environ.get("PG_BIN")
    found = (
        [Path(given)] if given else sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    )
    if not found or not (found[-1] / "postgres").exists():
        raise RuntimeError("PostgreSQL not found: `make engines` installs Debian's postgresql-15 (or set PG_BIN)")
    return found[-1]


def owned_by_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam(POSTGRES_OS_USER)
        os.chown(path, account.pw_uid, account.pw_gid)


def cluster_dir(data_dir: Path) -> Path:
    """Where our own cluster lives: DATA_DIR/pg, unless we are root and the `postgres` user can't enter DATA_DIR.

    PostgreSQL runs as that user, and a clone in a private folder (/root, a 0700 temporary folder) is closed to
    it: then the cluster goes to the postgres user's home, in a folder named after DATA_DIR.
    """
    as_postgres = as_postgres_user()
    data_dir.mkdir(parents=True, exist_ok=True)
    if not as_postgres or subprocess.run([*as_postgres, "test", "-x", str(data_dir)], check=False).returncode == 0:
        return data_dir / "pg"
    named = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    clusters = Path(pwd.getpwnam(POSTGRES_OS_USER).pw_dir) / "frontier-clusters"
    clusters.mkdir(exist_ok=True)
    owned_by_postgres(clusters)  # made 0700 under the launcher's umask: the postgres user must enter it
    return clusters / named


def postgres_command(engines: Engines, _stack: Stack) -> list[str]:
    """Our own cluster (made with initdb the first time), on 127.0.0.1 only, no Unix socket."""
    data = cluster_dir(engines.data_dir)
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True, mode=0o700)
        owned_by_postgres(data)
        password_file = data.with_name(f"{data.name}-initdb.password")  # beside it: where the postgres user can read
        descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(engines.postgres_password)
        owned_by_postgres(password_file)
        try:
            initdb = [
                *as_postgres_user(), str(postgres_bin() / "initdb"), "-D", str(data),
                "-U", engines.postgres_user, f"--pwfile={password_file}", "--auth=scram-sha-256",
                "--encoding=UTF8", "--locale=C",
            ]  # fmt: skip
            made = subprocess.run(initdb, capture_output=True, text=True, check=False)
            if made.returncode != 0:
                raise RuntimeError(f"initdb failed in {data} ({made.stderr.strip()[-500:]})")
        finally:
            password_file.unlink()
    return [
        *as_postgres_user(), str(postgres_bin() / "postgres"), "-D", str(data),
        "-p", str(engines.postgres_port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
    ]  # fmt: skip


def prepare_database(engines: Engines, timeout_s: float = 60) -> None:
    """The clinic's database exists (made on first start) and its tables are at the newest migration.

    Rasa makes its own `events` table; bookings and the console's tables come from clinic/database's migrations.
    """
    deadline = time.monotonic() + timeout_s
    engine = sa.create_engine(engines.database_url("postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        while True:
            try:
                with engine.connect() as connection:
                    found = connection.execute(
                        sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": engines.postgres_db}
                    ).first()
                    if found is None:
                        quoted = connection.dialect.identifier_preparer.quote(engines.postgres_db)
                        connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
                break
            except sa.exc.OperationalError as error:  # still starting up
                if time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL did not accept a connection within {timeout_s:.0f} s") from error
                time.sleep(0.5)
    finally:
        engine.dispose()
    upgrade(engines.database_url().render_as_string(hide_password=False))


def private_file(path: Path, text: str) -> Path:
    """`text` in `path`, readable by this user only (it may hold a password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def redis_command(engines: Engines, _stack: Stack) -> list[str]:
    """A Redis for the lock store only: its own port and folder, a password, nothing saved to disk."""
    folder = engines.data_dir / "redis"
    config = private_file(
        folder / "redis.conf",
        f"bind 127.0.0.1\nport {engines.redis_port}\ndir {folder}\nrequirepass {engines.redis_password}\n"
        'save ""\nappendonly no\ndaemonize no\nlogfile ""\n',
    )
    return [shutil.which("redis-server") or "/usr/bin/redis-server", str(config)]


def nginx_config(stack: Stack, prefix: Path, rasa: list[str], actions: list[str]) -> str:
    """Round robin over the Rasa replicas on stack.rasa_port and over the action servers on stack.actions_port.

    Each answer from Rasa says which replica served it (X-Upstream; only the web app and REST clients inside see
    it). The access log has no bodies or query strings: patients' words stay out of it. Request bodies are kept in
    memory (Rasa sends the whole conversation to the action server), and answers are passed on as they come, never
    kept in temporary files (nor could nginx's workers, as `nobody`, enter a private var/).
    """
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    servers = {name: "".join(f"        server {address};\n" for address in addresses) for name, addresses in
               (("rasa", rasa), ("actions", actions))}  # fmt: skip
    temp = "".join(
        f"    {kind}_temp_path {prefix}/tmp/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
    log_format upstream '$time_iso8601 $request_method $uri $status $upstream_addr $request_time';
    access_log {prefix}/access.log upstream;
{temp}    client_max_body_size 64m;
    client_body_buffer_size 64m;
    proxy_max_temp_file_size 0;
    proxy_buffer_size 64k;
    proxy_buffers 64 64k;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_read_timeout 120s;
    upstream rasa {{
        zone rasa 64k;
{servers["rasa"]}        keepalive 64;
    }}
    upstream actions {{
        zone actions 64k;
{servers["actions"]}        keepalive 64;
    }}
    server {{
        listen {stack.host}:{stack.rasa_port};
        location / {{
            proxy_pass http://rasa;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
    server {{
        listen {stack.host}:{stack.actions_port};
        location / {{ proxy_pass http://actions; }}
    }}
}}
"""


def nginx_command(engines: Engines, replicas: Replicas, stack: Stack) -> list[str]:
    prefix = engines.data_dir / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    rasa = upstreams("RASA_UPSTREAMS", stack.host, replicas.rasa_ports())
    actions = upstreams("ACTIONS_UPSTREAMS", stack.host, replicas.actions_ports())
    config = prefix / "nginx.conf"
    config.write_text(nginx_config(stack, prefix, rasa, actions), encoding="utf-8")
    return [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(config), "-e", "stderr"]


def actions_replica(port: int, stack: Stack) -> list[str]:
    return actions_command(replace(stack, actions_port=port))


def rasa_replica(port: int, stack: Stack) -> list[str]:
    """A Rasa replica on its own port; its endpoints copy names nginx's action port, stack.actions_port."""
    return rasa_command(replace(stack, rasa_port=port))


def scaled_services(stack: Stack, replicas: Replicas, engines: Engines) -> list[Service]:
    """Every process of the profile in the order they must come up; the replicas of a kind start in parallel.

    `stack.rasa_port` and `stack.actions_port` are nginx's: the web app and the Rasa replicas reach the replicas
    through them.
    """
    wanted: list[Service] = []
    if engines.local_postgres:
        wanted.append(
            Service(
                "postgres",
                partial(postgres_command, engines),
                f"tcp://127.0.0.1:{engines.postgres_port}",
                prepare=partial(prepare_database, engines),
                stop_signal=signal.SIGINT,  # a fast shutdown: SIGTERM's smart one waits for every client to leave
            )
        )
    if engines.local_redis:
        wanted.append(Service("redis", partial(redis_command, engines), f"tcp://127.0.0.1:{engines.redis_port}"))
    last = replicas.count - 1
    for i, port in enumerate(replicas.actions_ports()):
        health = f"http://{stack.host}:{port}/health"
        wanted.append(Service(f"actions-{i + 1}", partial(actions_replica, port), health,
                              with_next=i < last))  # fmt: skip
    wanted.append(Service("nginx", partial(nginx_command, engines, replicas), f"tcp://{stack.host}:{stack.rasa_port}"))
    for i, port in enumerate(replicas.rasa_ports()):
        health = f"http://{stack.host}:{port}/webhooks/rest/"
        wanted.append(Service(f"rasa-{i + 1}", partial(rasa_replica, port), health,
                              with_next=i < last))  # fmt: skip
    if stack.web_port is not None:
        wanted.append(Service("web", web_command, f"{stack.web_url}/health"))
    if stack.console_port is not None:
        wanted.append(Service("console", console_command, f"{stack.console_url}/login"))
    return wanted


def scaled(stack: Stack, replicas: Replicas, data_dir: Path = DATA_DIR) -> partial[list[Service]]:
    """The profile's services for the launcher's Supervisor; its addresses and credentials in this environment."""
    data_dir.mkdir(parents=True, exist_ok=True)
    engines = Engines.from_env(data_dir)
    os.environ.update(engines.environment())  # every child reads them; so does this process if it reads the endpoints
    if not engines.local_postgres:
        prepare_database(engines)
    return partial(scaled_services, replicas=replicas, engines=engines)

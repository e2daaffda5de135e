#!/usr/bin/env bash
# Checks every INF node pod's health endpoint through the API server's pod proxy (no curl needed
# in the image), as deployment_config.yaml's health_check says: a pod is healthy after
# healthy_threshold good answers in a row, unhealthy after unhealthy_threshold failures in a row,
# interval_seconds apart.
#
#   health_check.sh [--dry-run] [--namespace NS]
#
# Exit status: 0 every pod healthy, 1 a pod unhealthy or no pod found, 2 bad usage, 127 no kubectl.
set -euo pipefail
. "$(dirname "$0")/common.sh"

usage() { echo "usage: $(basename "$0") [--dry-run] [--namespace NS]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --namespace) [ $# -ge 2 ] || usage; NAMESPACE="$2"; shift ;;
    -h|--help) usage ;;
    *) echo "$(basename "$0"): unknown option $1" >&2; usage ;;
  esac
  shift
done
need_kubectl

ENDPOINT="$(health_setting endpoint /health)"
INTERVAL="$(health_setting interval_seconds 10)"
TIMEOUT="$(health_setting timeout_seconds 5)"
HEALTHY="$(health_setting healthy_threshold 2)"
UNHEALTHY="$(health_setting unhealthy_threshold 3)"
echo "health check: GET $ENDPOINT every ${INTERVAL}s (timeout ${TIMEOUT}s); healthy after $HEALTHY, unhealthy after $UNHEALTHY in a row"

if [ "$DRY_RUN" = 1 ]; then
  kube get pods --selector "$SELECTOR" --output name
  kube get --request-timeout "${TIMEOUT}s" --raw "/api/v1/namespaces/$NAMESPACE/pods/POD:8080/proxy$ENDPOINT"
  echo "(dry run: the last command runs for each pod until it is healthy or unhealthy)"
  exit 0
fi

pods="$(kubectl --namespace "$NAMESPACE" get pods --selector "$SELECTOR" --output name | sed 's|^pod/||')"
if [ -z "$pods" ]; then
  echo "no pod matches $SELECTOR in namespace $NAMESPACE" >&2
  exit 1
fi
failed=0
for pod in $pods; do
  good=0; bad=0
  while [ "$good" -lt "$HEALTHY" ] && [ "$bad" -lt "$UNHEALTHY" ]; do
    if kubectl --namespace "$NAMESPACE" get --request-timeout "${TIMEOUT}s" \
        --raw "/api/v1/namespaces/$NAMESPACE/pods/$pod:8080/proxy$ENDPOINT" >/dev/null 2>&1; then
      good=$((good + 1)); bad=0
    else
      bad=$((bad + 1)); good=0
    fi
    if [ "$good" -lt "$HEALTHY" ] && [ "$bad" -lt "$UNHEALTHY" ]; then sleep "$INTERVAL"; fi
  done
  if [ "$good" -ge "$HEALTHY" ]; then
    echo "$pod: healthy"
  else
    echo "$pod: UNHEALTHY ($bad failed checks in a row)"
    failed=1
  fi
done
exit "$failed"

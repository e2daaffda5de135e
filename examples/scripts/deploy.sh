#!/usr/bin/env bash
# Deploys the INF nodes (examples/kubernetes/*.yaml), waits for the rolling update, checks every
# pod's health, then runs the deployment verification (`verification-run.jar nodes`) against the
# first four pods through port-forwards (which reach each pod on its loopback, where the
# fault-injection endpoints answer). A rollback verdict (exit 3) or failed checks (exit 1) roll the
# Deployment back with rollback.sh unless --no-rollback is given.
#
#   deploy.sh [--dry-run] [--namespace NS] [--image IMAGE] [--timeout DURATION]
#             [--observe SECONDS] [--no-verify] [--no-rollback]
#
# Exit status: 0 deployed and verified; otherwise that of the failing step (the verification's:
# 1 checks failed, 3 rollback verdict, 4 rollback rule met with auto_rollback off), 2 bad usage,
# 127 no kubectl.
set -euo pipefail
. "$(dirname "$0")/common.sh"

IMAGE=""
TIMEOUT=300s
OBSERVE=""
VERIFY=1
ROLLBACK=1
usage() {
  echo "usage: $(basename "$0") [--dry-run] [--namespace NS] [--image IMAGE] [--timeout DURATION] [--observe SECONDS] [--no-verify] [--no-rollback]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --namespace) [ $# -ge 2 ] || usage; NAMESPACE="$2"; shift ;;
    --image) [ $# -ge 2 ] || usage; IMAGE="$2"; shift ;;
    --timeout) [ $# -ge 2 ] || usage; TIMEOUT="$2"; shift ;;
    --observe) [ $# -ge 2 ] || usage; OBSERVE="$2"; shift
      [[ "$OBSERVE" =~ ^[0-9]+$ ]] || { echo "--observe must be whole seconds, was '$OBSERVE'" >&2; exit 2; } ;;
    --no-verify) VERIFY=0 ;;
    --no-rollback) ROLLBACK=0 ;;
    -h|--help) usage ;;
    *) echo "$(basename "$0"): unknown option $1" >&2; usage ;;
  esac
  shift
done
need_kubectl

dry() { if [ "$DRY_RUN" = 1 ]; then echo "--dry-run"; fi; }

kube apply -f "$MANIFESTS_DIR/configmap.yaml"
kube apply -f "$MANIFESTS_DIR/service.yaml"
kube apply -f "$MANIFESTS_DIR/deployment.yaml"
if [ -n "$IMAGE" ]; then
  kube set image "deployment/$DEPLOYMENT" "inf-node=$IMAGE"
fi
kube apply -f "$MANIFESTS_DIR/hpa.yaml"
kube rollout status "deployment/$DEPLOYMENT" "--timeout=$TIMEOUT"
"$SCRIPTS_DIR/health_check.sh" $(dry) --namespace "$NAMESPACE"

[ "$VERIFY" = 1 ] || { [ "$DRY_RUN" = 1 ] || echo "deployed (verification skipped)"; exit 0; }

JAR="$EXAMPLES_DIR/target/verification-run.jar"
if [ "$DRY_RUN" = 1 ]; then
  pods="POD-1 POD-2 POD-3 POD-4"
else
  pods="$(kubectl --namespace "$NAMESPACE" get pods --selector "$SELECTOR" --field-selector status.phase=Running \
    --output name | sed 's|^pod/||' | head -4)"
fi
forwards=()
cleanup() { for pid in "${forwards[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
args=(nodes --config "$EXAMPLES_DIR/config")
i=0
for pod in $pods; do
  i=$((i + 1))
  local_port=$((18080 + i))
  if [ "$DRY_RUN" = 1 ]; then
    kube port-forward "pod/$pod" "$local_port:8080"
  else
    kubectl --namespace "$NAMESPACE" port-forward "pod/$pod" "$local_port:8080" >/dev/null &
    forwards+=("$!")
  fi
  args+=(--node "inf-node-$i=127.0.0.1:$local_port")
done
[ -z "$OBSERVE" ] || args+=(--observe "$OBSERVE")

status=0
run java -jar "$JAR" "${args[@]}" || status=$?
if [ "$DRY_RUN" = 1 ]; then
  echo "(dry run: nothing was changed)"
  exit 0
fi
if [ "$status" = 0 ]; then
  echo "deployed and verified"
  exit 0
fi
echo "verification ended with status $status" >&2
if [ "$ROLLBACK" = 1 ] && { [ "$status" = 1 ] || [ "$status" = 3 ]; }; then
  "$SCRIPTS_DIR/rollback.sh" $(dry) --namespace "$NAMESPACE"
fi
exit "$status"

#!/usr/bin/env bash
# Rolls the INF nodes back to the previous revision of the Deployment (or the one given) and waits
# until the rollout has finished.
#
#   rollback.sh [--dry-run] [--namespace NS] [--to-revision N] [--timeout DURATION]
#
# Exit status: 0 rolled back, non-zero as kubectl failed, 2 bad usage, 127 no kubectl.
set -euo pipefail
. "$(dirname "$0")/common.sh"

REVISION=""
TIMEOUT=300s
usage() { echo "usage: $(basename "$0") [--dry-run] [--namespace NS] [--to-revision N] [--timeout DURATION]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --namespace) [ $# -ge 2 ] || usage; NAMESPACE="$2"; shift ;;
    --to-revision) [ $# -ge 2 ] || usage; REVISION="$2"; shift
      [[ "$REVISION" =~ ^[0-9]+$ ]] || { echo "--to-revision must be a revision number, was '$REVISION'" >&2; exit 2; } ;;
    --timeout) [ $# -ge 2 ] || usage; TIMEOUT="$2"; shift ;;
    -h|--help) usage ;;
    *) echo "$(basename "$0"): unknown option $1" >&2; usage ;;
  esac
  shift
done
need_kubectl

kube rollout history "deployment/$DEPLOYMENT"
if [ -n "$REVISION" ]; then
  kube rollout undo "deployment/$DEPLOYMENT" "--to-revision=$REVISION"
else
  kube rollout undo "deployment/$DEPLOYMENT"
fi
kube rollout status "deployment/$DEPLOYMENT" "--timeout=$TIMEOUT"
if [ "$DRY_RUN" = 1 ]; then
  echo "(dry run: nothing was changed)"
else
  echo "rolled back deployment/$DEPLOYMENT in namespace $NAMESPACE"
fi

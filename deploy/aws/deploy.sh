#!/usr/bin/env bash
# Deploys the L1 Troubleshooting System to an EKS cluster: renders a kustomize overlay, fills its
# placeholders, runs the migration Job, applies everything, waits for the rollouts and prints the ALB address.
#   deploy/aws/deploy.sh CLUSTER REGION
# Required environment: IMAGE_TAG, EFS_FILE_SYSTEM_ID, CERTIFICATE_ARN.
# Optional: BEDROCK_ROLE_ARN (default arn:aws:iam::<account>:role/L1BedrockRole), OVERLAY (eks |
# clickhouse-cluster; default eks), WAF_ACL_ARN (attach an AWS WAF web ACL to the ALB), AWS_ACCOUNT_ID
# (default: from STS), DRY_RUN=1 (print the manifests that would be applied and stop).
set -euo pipefail

namespace=l1-troubleshooting

usage() {
  cat >&2 <<USAGE
usage: $(basename "$0") CLUSTER REGION
  CLUSTER  EKS cluster name (e.g. l1-troubleshooting-cluster)
  REGION   AWS region       (e.g. us-east-1)
required environment: IMAGE_TAG, EFS_FILE_SYSTEM_ID, CERTIFICATE_ARN
optional environment: BEDROCK_ROLE_ARN, OVERLAY (eks|clickhouse-cluster), WAF_ACL_ARN, AWS_ACCOUNT_ID, DRY_RUN=1
USAGE
  exit 2
}

die() {
  echo "deploy: $*" >&2
  exit 1
}

[ "$#" -eq 2 ] || usage
cluster=$1
region=$2
[[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || { echo "deploy: REGION looks wrong (got '$region')" >&2; usage; }
for var in IMAGE_TAG EFS_FILE_SYSTEM_ID CERTIFICATE_ARN; do
  [ -n "${!var:-}" ] || { echo "deploy: $var is not set" >&2; usage; }
done
[ "$IMAGE_TAG" != latest ] || die "IMAGE_TAG must be an exact tag, not 'latest'"
[[ $EFS_FILE_SYSTEM_ID =~ ^fs-[0-9a-f]{8,17}$ ]] || die "EFS_FILE_SYSTEM_ID looks wrong (got '$EFS_FILE_SYSTEM_ID')"
[[ $CERTIFICATE_ARN =~ ^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+ ]] || die "CERTIFICATE_ARN is not an ACM certificate ARN"
overlay=${OVERLAY:-eks}
case $overlay in eks | clickhouse-cluster) ;; *) die "OVERLAY must be eks or clickhouse-cluster (got '$overlay')" ;; esac
for tool in aws kubectl; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
account=${AWS_ACCOUNT_ID:-$(aws sts get-caller-identity --query Account --output text)}
[[ $account =~ ^[0-9]{12}$ ]] || die "could not determine the AWS account id (got '$account')"
role_arn=${BEDROCK_ROLE_ARN:-arn:aws:iam::$account:role/L1BedrockRole}

rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$root/deploy/kubernetes/overlays/$overlay" |
  sed -e "s|REPLACE_ACCOUNT_ID|$account|g" \
    -e "s|REPLACE_REGION|$region|g" \
    -e "s|REPLACE_IMAGE_TAG|$IMAGE_TAG|g" \
    -e "s|REPLACE_EFS_FILE_SYSTEM_ID|$EFS_FILE_SYSTEM_ID|g" \
    -e "s|REPLACE_CERTIFICATE_ARN|$CERTIFICATE_ARN|g" \
    -e "s|REPLACE_BEDROCK_ROLE_ARN|$role_arn|g" >"$rendered"
if grep -n 'REPLACE_' "$rendered" >&2; then die "placeholders left in the rendered manifests (above)"; fi

if [ "${DRY_RUN:-0}" = 1 ]; then
  cat "$rendered"
  exit 0
fi

echo "== kubeconfig for $cluster ($region)"
aws eks update-kubeconfig --name "$cluster" --region "$region" >/dev/null

kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
kubectl -n "$namespace" get secret l1-app-secrets >/dev/null 2>&1 ||
  die "Secret l1-app-secrets is missing in $namespace: create it first (docs/deploy-eks.md, Secrets)"

echo "== applying overlay $overlay (image tag $IMAGE_TAG)"
# A Job's pod template is immutable: the previous migration run is replaced by this release's.
kubectl -n "$namespace" delete job l1-migrate --ignore-not-found --wait=true
kubectl apply -f "$rendered"
if [ -n "${WAF_ACL_ARN:-}" ]; then
  kubectl -n "$namespace" annotate ingress l1-integrated-ingress --overwrite \
    "alb.ingress.kubernetes.io/wafv2-acl-arn=$WAF_ACL_ARN"
fi

echo "== waiting for ClickHouse"
kubectl -n "$namespace" rollout status statefulset/clickhouse --timeout=10m
if [ "$overlay" = clickhouse-cluster ]; then
  kubectl -n "$namespace" rollout status statefulset/keeper --timeout=10m
fi
echo "== waiting for the migrations"
# Complete or Failed (a configuration error fails the Job at once): poll both, up to 15 minutes.
state=
for _ in $(seq 1 180); do
  state=$(kubectl -n "$namespace" get job l1-migrate -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
  case $state in *Complete* | *Failed*) break ;; esac
  sleep 5
done
if [[ $state != *Complete* ]]; then
  kubectl -n "$namespace" logs job/l1-migrate --tail=50 >&2 || true
  die "the migration Job did not complete (${state:-still running after 15 minutes})"
fi
echo "== waiting for the app and the workers"
kubectl -n "$namespace" rollout status deployment/l1-integrated-app --timeout=10m
kubectl -n "$namespace" rollout status deployment/l1-integrated-worker --timeout=10m

echo "== waiting for the load balancer"
address=
for _ in $(seq 1 60); do
  address=$(kubectl -n "$namespace" get ingress l1-integrated-ingress \
    -o jsonpath='{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null || true)
  [ -n "$address" ] && break
  sleep 5
done
[ -n "$address" ] || die "the ALB has no address yet: kubectl -n $namespace describe ingress l1-integrated-ingress"
echo "ALB address: $address"
echo "open https://$address (or your DNS name pointing at it)"

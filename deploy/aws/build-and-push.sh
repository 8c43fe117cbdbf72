#!/usr/bin/env bash
# Builds the l1-integrated image from the repository's Dockerfile and pushes it to Amazon ECR.
#   deploy/aws/build-and-push.sh ACCOUNT REGION TAG
# Environment: PLATFORM (default linux/amd64), EMBEDDED=1 to include the embedded chDB engine (not needed
# on EKS, where ClickHouse is a server). The repository is created (scan on push, immutable tags) if missing.
set -euo pipefail

usage() {
  cat >&2 <<USAGE
usage: $(basename "$0") ACCOUNT REGION TAG
  ACCOUNT  12-digit AWS account id         (e.g. 123456789012)
  REGION   AWS region of the ECR registry  (e.g. us-east-1)
  TAG      image tag, never 'latest'       (e.g. v1.0.0 or a git commit)
environment: PLATFORM (default linux/amd64), EMBEDDED=1 (bundle chDB)
USAGE
  exit 2
}

[ "$#" -eq 3 ] || usage
account=$1
region=$2
tag=$3
[[ $account =~ ^[0-9]{12}$ ]] || { echo "build-and-push: ACCOUNT must be 12 digits (got '$account')" >&2; usage; }
[[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || { echo "build-and-push: REGION looks wrong (got '$region')" >&2; usage; }
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || { echo "build-and-push: TAG is not a valid image tag (got '$tag')" >&2; usage; }
[ "$tag" != latest ] || { echo "build-and-push: refusing the tag 'latest': deployments pin an exact tag" >&2; exit 2; }
for tool in aws docker; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-and-push: '$tool' is not installed" >&2; exit 1; }
done

repo=l1-integrated
registry="$account.dkr.ecr.$region.amazonaws.com"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
platform=${PLATFORM:-linux/amd64}
build_args=()
if [ "${EMBEDDED:-0}" = 1 ]; then build_args+=(--build-arg EMBEDDED=1); fi

if ! aws ecr describe-repositories --region "$region" --repository-names "$repo" >/dev/null 2>&1; then
  echo "== creating ECR repository $repo"
  aws ecr create-repository --region "$region" --repository-name "$repo" \
    --image-scanning-configuration scanOnPush=true --image-tag-mutability IMMUTABLE >/dev/null
fi

echo "== logging in to $registry"
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"

echo "== building $repo:$tag ($platform)"
docker build --platform "$platform" "${build_args[@]}" \
  --label "org.opencontainers.image.revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)" \
  -t "$repo:$tag" -f "$root/Dockerfile" "$root"

docker tag "$repo:$tag" "$registry/$repo:$tag"
echo "== pushing $registry/$repo:$tag"
docker push "$registry/$repo:$tag"
echo "$registry/$repo:$tag"

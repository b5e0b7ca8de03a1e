{{/* Names, labels and the decisions that several templates share. */}}

{{- define "foresight.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already says "foresight". */}}
{{- define "foresight.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "foresight.selectorLabels" -}}
app.kubernetes.io/name: {{ include "foresight.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "foresight.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "foresight.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: foresight
{{- end }}

{{- define "foresight.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "foresight.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* "true" or "false": leader election is on when asked for, or when auto and replicas > 1. */}}
{{- define "foresight.leaderElection" -}}
{{- $mode := .Values.leaderElection.enabled }}
{{- if eq (toString $mode) "auto" }}
{{- gt (int .Values.replicaCount) 1 }}
{{- else if $mode }}
{{- true }}
{{- else if gt (int .Values.replicaCount) 1 }}
{{- fail "leaderElection.enabled=false needs replicaCount: 1 (two operators without a Lease would both act)" }}
{{- else }}
{{- false }}
{{- end }}
{{- end }}

{{- define "foresight.leaseName" -}}
{{- default (printf "%s-leader" (include "foresight.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "foresight.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "foresight.workerImage" -}}
{{- $w := .Values.worker.image }}
{{- printf "%s:%s" $w.repository (default (printf "%s-%s" .Chart.AppVersion $w.variant) $w.tag) }}
{{- end }}

{{/*
Namespaces that get the worker service account: every watched namespace, or, when watching all,
those listed in worker.serviceAccount.namespaces.
*/}}
{{- define "foresight.workerServiceAccountNamespaces" -}}
{{- if .Values.watchNamespaces }}
{{- toJson .Values.watchNamespaces }}
{{- else }}
{{- toJson .Values.worker.serviceAccount.namespaces }}
{{- end }}
{{- end }}

{{/*
The service account the operator gives worker pods, or nothing when it cannot exist in every
namespace the operator serves (then pods use their namespace's default account).
*/}}
{{- define "foresight.workerServiceAccountName" -}}
{{- $sa := .Values.worker.serviceAccount }}
{{- if and $sa.create (fromJsonArray (include "foresight.workerServiceAccountNamespaces" .)) }}
{{- $sa.name }}
{{- else if not $sa.create }}
{{- $sa.name }}
{{- end }}
{{- end }}

{{/*
The rules the operator needs in each namespace it watches. They must equal
dev.foresight.controller.rbac.RequiredPermissions.WATCHED_NAMESPACES: ChartRbacTest compares them.
*/}}
{{- define "foresight.watchedNamespaceRules" -}}
- apiGroups: ["foresight.dev"]
  resources: ["probeevaluations"]
  verbs: ["list", "watch", "create", "patch", "delete"]
- apiGroups: ["foresight.dev"]
  resources: ["probeevaluations/status"]
  verbs: ["patch"]
- apiGroups: ["foresight.dev"]
  resources: ["probeevaluations/finalizers"]
  verbs: ["update"]
- apiGroups: ["foresight.dev"]
  resources: ["probemonitors"]
  verbs: ["list", "watch"]
- apiGroups: ["foresight.dev"]
  resources: ["probemonitors/status"]
  verbs: ["patch"]
- apiGroups: ["foresight.dev"]
  resources: ["probemonitors/finalizers"]
  verbs: ["update"]
- apiGroups: ["foresight.dev"]
  resources: ["probetrainings"]
  verbs: ["list", "watch"]
- apiGroups: ["foresight.dev"]
  resources: ["probetrainings/status"]
  verbs: ["patch"]
- apiGroups: ["foresight.dev"]
  resources: ["probetrainings/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["create"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "list"]
{{- end }}

{{/* RequiredPermissions.LEADER_ELECTION, in the release namespace. */}}
{{- define "foresight.leaderElectionRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update", "patch"]
{{- end }}

{{/* The operator's service account as an RBAC subject. */}}
{{- define "foresight.operatorSubject" -}}
- kind: ServiceAccount
  name: {{ include "foresight.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/* The chart's name. */}}
{{- define "dezky.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name, the prefix of every object's name. */}}
{{- define "dezky.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's object name: (dict "root" $ "component" "api"). */}}
{{- define "dezky.componentName" -}}
{{- printf "%s-%s" (include "dezky.fullname" .root | trunc 50 | trimSuffix "-") .component -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "dezky.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "dezky.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dezky
{{- end -}}

{{/* A component's selector labels: (dict "root" $ "component" "api"). */}}
{{- define "dezky.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dezky.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A component's labels: (dict "root" $ "component" "api"). */}}
{{- define "dezky.componentLabels" -}}
{{ include "dezky.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A component's image reference: (dict "root" $ "image" .Values.api.image). */}}
{{- define "dezky.image" -}}
{{- $repository := .image.repository -}}
{{- if .root.Values.imageRegistry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .root.Values.imageRegistry) .image.repository -}}
{{- end -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The ServiceAccount the pods run as. */}}
{{- define "dezky.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dezky.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The API Service's in-cluster URL, which the operator and the portal call. */}}
{{- define "dezky.api.url" -}}
{{- printf "http://%s.%s.svc.%s:%v" (include "dezky.componentName" (dict "root" . "component" "api")) .Release.Namespace .Values.clusterDomain .Values.api.port -}}
{{- end -}}

{{/* The job label Prometheus gives the API's scrape. */}}
{{- define "dezky.api.job" -}}
{{- default (include "dezky.componentName" (dict "root" . "component" "api")) .Values.metrics.prometheusRule.job -}}
{{- end -}}

{{/* A list value as the comma-separated string the API's configuration reads. */}}
{{- define "dezky.csv" -}}
{{- if kindIs "slice" . -}}{{ join "," . }}{{- else -}}{{ . }}{{- end -}}
{{- end -}}

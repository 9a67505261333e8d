{{- define "nanolet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "nanolet.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* selector labels of one component: include "nanolet.selector" (list . "platform-api") */}}
{{- define "nanolet.selector" -}}
app.kubernetes.io/name: {{ (index . 0).Chart.Name }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* image of one service: include "nanolet.image" (list . "platform-api") */}}
{{- define "nanolet.image" -}}
{{- $ := index . 0 -}}
{{- $prefix := $.Values.image.repository -}}
{{- if $.Values.image.registry }}{{ $prefix = printf "%s/%s" $.Values.image.registry $prefix }}{{ end -}}
{{- printf "%s/%s:%s" $prefix (index . 1) (default $.Chart.AppVersion $.Values.image.tag) -}}
{{- end -}}

{{- define "nanolet.authSecret" -}}
{{- default (printf "%s-auth" (include "nanolet.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "nanolet.dbUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s-postgresql:5432/%s" (include "nanolet.fullname" .) .Values.postgresql.database -}}
{{- else -}}
{{- required "externalDatabase.url is required when postgresql.enabled is false" .Values.externalDatabase.url -}}
{{- end -}}
{{- end -}}

{{- define "nanolet.dbUser" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.username }}{{ else }}{{ .Values.externalDatabase.username }}{{ end -}}
{{- end -}}

{{/* the Secret and key that hold the database password */}}
{{- define "nanolet.dbSecretName" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecret -}}
{{- else -}}
{{- printf "%s-db" (include "nanolet.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "nanolet.dbSecretKey" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecretKey -}}
{{- else -}}
password
{{- end -}}
{{- end -}}

{{- define "nanolet.dbEnv" -}}
- name: NANOLET_DB_URL
  value: {{ include "nanolet.dbUrl" . | quote }}
- name: NANOLET_DB_USER
  value: {{ include "nanolet.dbUser" . | quote }}
- name: NANOLET_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "nanolet.dbSecretName" . }}
      key: {{ include "nanolet.dbSecretKey" . }}
{{- end -}}

{{/* the images run as uid 10001 (group 0); nothing may escalate, the root file system is read-only */}}
{{- define "nanolet.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 0
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "nanolet.securityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{- define "nanolet.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* an existing Secret's value for key, or a new random one (so generated secrets survive upgrades):
     40 letters and digits, or with a fourth argument "key32" base64 of 32 random bytes (an AES-256 key) */}}
{{- define "nanolet.keep" -}}
{{- $ := index . 0 -}}
{{- $existing := lookup "v1" "Secret" $.Release.Namespace (index . 1) -}}
{{- if and $existing (hasKey $existing.data (index . 2)) -}}
{{- index $existing.data (index . 2) -}}
{{- else if and (gt (len .) 3) (eq (index . 3) "key32") -}}
{{- randBytes 32 | b64enc -}}
{{- else -}}
{{- randAlphaNum 40 | b64enc -}}
{{- end -}}
{{- end -}}

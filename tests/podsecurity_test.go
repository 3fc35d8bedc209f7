package tests

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

// podSecurityEvaluate runs the upstream Pod Security Admission checks (the code the API server
// runs for a namespace labelled pod-security.kubernetes.io/enforce) on a pod template.
func podSecurityEvaluate(t *testing.T, level api.Level, tmpl corev1.PodTemplateSpec) []string {
	t.Helper()
	eval, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		t.Fatal(err)
	}
	var forbidden []string
	for _, r := range eval.EvaluatePod(api.LevelVersion{Level: level, Version: api.LatestVersion()}, &tmpl.ObjectMeta, &tmpl.Spec) {
		if !r.Allowed {
			forbidden = append(forbidden, r.ForbiddenReason+": "+r.ForbiddenDetail)
		}
	}
	return forbidden
}

// TestPodSecurityRestricted checks every pod template of the plan against the "restricted"
// Pod Security Standard, which the site and system namespaces enforce: a template that broke it
// would be created as a Deployment and then never get a pod.
func TestPodSecurityRestricted(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		p := graphPlan(t, stack)
		templates := 0
		for _, m := range p.Manifests() {
			b, err := yaml.Marshal(m.Object)
			if err != nil {
				t.Fatal(err)
			}
			var tmpl *corev1.PodTemplateSpec
			switch m.Object["kind"] {
			case "Deployment":
				var d appsv1.Deployment
				err = yaml.Unmarshal(b, &d)
				tmpl = &d.Spec.Template
			case "Job":
				var j batchv1.Job
				err = yaml.Unmarshal(b, &j)
				tmpl = &j.Spec.Template
			case "CronJob":
				var c batchv1.CronJob
				err = yaml.Unmarshal(b, &c)
				tmpl = &c.Spec.JobTemplate.Spec.Template
			default:
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", m.File, err)
			}
			templates++
			for _, f := range podSecurityEvaluate(t, api.LevelRestricted, *tmpl) {
				t.Errorf("%s %s: restricted forbids %s", stack, m.File, f)
			}
		}
		if want := 4 * len(p.Config.Sites); templates != want {
			t.Errorf("%s: checked %d pod templates, want %d (2 Deployments, a Job and a CronJob per site)", stack, templates, want)
		}
	}
}

// TestPodSecurityCanFail shows the check refuses what restricted refuses.
func TestPodSecurityCanFail(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name  string
		patch func(*corev1.PodSpec)
		fails bool
	}{
		{"compliant", func(*corev1.PodSpec) {}, false},
		{"privilege escalation", func(s *corev1.PodSpec) { s.Containers[0].SecurityContext.AllowPrivilegeEscalation = &yes }, true},
		{"root allowed", func(s *corev1.PodSpec) { s.SecurityContext.RunAsNonRoot = &no }, true},
		{"capability kept", func(s *corev1.PodSpec) { s.Containers[0].SecurityContext.Capabilities.Drop = nil }, true},
		{"host path", func(s *corev1.PodSpec) {
			s.Volumes = append(s.Volumes, corev1.Volume{Name: "h", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/"}}})
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := corev1.PodSpec{
				SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
				Containers: []corev1.Container{{Name: "c", Image: "x", SecurityContext: &corev1.SecurityContext{
					AllowPrivilegeEscalation: &no,
					Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				}}},
			}
			tt.patch(&spec)
			got := podSecurityEvaluate(t, api.LevelRestricted, corev1.PodTemplateSpec{Spec: spec})
			if (len(got) > 0) != tt.fails {
				t.Errorf("forbidden %v, want failure %v", got, tt.fails)
			}
		})
	}
}

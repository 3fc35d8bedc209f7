// Command planfacts takes what the NFS tier's guest needs from the offline plan's output, so the
// guest runs on the program's own output and never on a copy: the NFS VM's cloud-init files
// and command (decoded from its customData in the plan JSON), the disk-fill alert's counter
// instance and threshold, and, from the manifest files, the PersistentVolume's server, path and
// mountOptions and the sub-directory the WordPress pods mount.
//
//	go run ./tests/nfs/planfacts -plan plan.json -manifests DIR -out OUT
//
// OUT gets one file per value (mount-options, nfs-server, nfs-path, subpath, pod-uid,
// alert-instance, alert-threshold, runcmd) and the cloud-init files under OUT/files, with
// OUT/files.list naming each file's path and mode.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

func main() {
	planPath := flag.String("plan", "", "the plan JSON (cmd/plan -out)")
	manifests := flag.String("manifests", "", "the manifests directory (cmd/plan -manifests)")
	out := flag.String("out", "", "directory to write the facts into")
	flag.Parse()
	if *planPath == "" || *manifests == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: planfacts -plan FILE -manifests DIR -out DIR")
		os.Exit(2)
	}
	if err := run(*planPath, *manifests, *out); err != nil {
		fmt.Fprintln(os.Stderr, "planfacts:", err)
		os.Exit(1)
	}
}

type resource struct {
	Type   string         `json:"type"`
	Name   string         `json:"name"`
	Inputs map[string]any `json:"inputs"`
}

func run(planPath, manifests, out string) error {
	raw, err := os.ReadFile(planPath)
	if err != nil {
		return err
	}
	var plan struct {
		Resources []resource `json:"resources"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		return fmt.Errorf("read plan: %w", err)
	}
	facts := map[string]string{}
	if err := cloudInit(plan.Resources, out, facts); err != nil {
		return err
	}
	if err := diskAlert(plan.Resources, facts); err != nil {
		return err
	}
	if err := volume(manifests, facts); err != nil {
		return err
	}
	for k, v := range facts {
		if err := os.WriteFile(filepath.Join(out, k), []byte(v+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func find(rs []resource, name string) (resource, error) {
	for _, r := range rs {
		if r.Name == name {
			return r, nil
		}
	}
	return resource{}, fmt.Errorf("the plan has no resource %q", name)
}

// cloudInit decodes the NFS VM's customData and writes its write_files and runcmd.
func cloudInit(rs []resource, out string, facts map[string]string) error {
	vm, err := find(rs, "nfs-vm")
	if err != nil {
		return err
	}
	profile, _ := vm.Inputs["osProfile"].(map[string]any)
	encoded, _ := profile["customData"].(string)
	doc, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || encoded == "" {
		return fmt.Errorf("nfs-vm customData is not base64 (%q): %v", encoded, err)
	}
	var cc struct {
		WriteFiles []struct {
			Path        string `json:"path"`
			Permissions string `json:"permissions"`
			Encoding    string `json:"encoding"`
			Content     string `json:"content"`
		} `json:"write_files"`
		RunCmd [][]string `json:"runcmd"`
	}
	if !strings.HasPrefix(string(doc), "#cloud-config\n") {
		return errors.New("nfs-vm customData is not a cloud-config")
	}
	if err := yaml.UnmarshalStrict(doc, &cc); err != nil {
		return fmt.Errorf("nfs-vm cloud-config: %w", err)
	}
	var list strings.Builder
	for _, f := range cc.WriteFiles {
		content := []byte(f.Content)
		switch f.Encoding {
		case "b64", "base64":
			if content, err = base64.StdEncoding.DecodeString(f.Content); err != nil {
				return fmt.Errorf("cloud-config file %s: %w", f.Path, err)
			}
		case "":
		default:
			return fmt.Errorf("cloud-config file %s: encoding %q is not handled here", f.Path, f.Encoding)
		}
		mode, err := strconv.ParseUint(f.Permissions, 8, 32)
		if err != nil {
			return fmt.Errorf("cloud-config file %s: permissions %q: %w", f.Path, f.Permissions, err)
		}
		dst := filepath.Join(out, "files", f.Path)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, content, os.FileMode(mode)); err != nil {
			return err
		}
		fmt.Fprintf(&list, "%s %s\n", f.Path, f.Permissions)
	}
	if err := os.WriteFile(filepath.Join(out, "files.list"), []byte(list.String()), 0o644); err != nil {
		return err
	}
	if len(cc.RunCmd) != 1 {
		return fmt.Errorf("cloud-config runs %d commands, the tier knows one", len(cc.RunCmd))
	}
	facts["runcmd"] = strings.Join(cc.RunCmd[0], " ")
	return nil
}

// diskAlert finds the counter instance and the threshold of the disk-fill alert.
func diskAlert(rs []resource, facts map[string]string) error {
	alert, err := find(rs, "alert-nfs-disk-full")
	if err != nil {
		return err
	}
	b, _ := json.Marshal(alert.Inputs)
	var in struct {
		Criteria struct {
			AllOf []struct {
				Query     string  `json:"query"`
				Threshold float64 `json:"threshold"`
			} `json:"allOf"`
		} `json:"criteria"`
	}
	if err := json.Unmarshal(b, &in); err != nil || len(in.Criteria.AllOf) != 1 {
		return fmt.Errorf("alert-nfs-disk-full has no single criterion: %s", b)
	}
	c := in.Criteria.AllOf[0]
	m := regexp.MustCompile(`CounterName == "% Used Space" and InstanceName == "([^"]+)"`).FindStringSubmatch(c.Query)
	if m == nil {
		return fmt.Errorf("alert-nfs-disk-full query names no %% Used Space instance: %s", c.Query)
	}
	facts["alert-instance"] = m[1]
	facts["alert-threshold"] = strconv.FormatFloat(c.Threshold, 'f', -1, 64)
	return nil
}

// volume reads the first site's PersistentVolume and the subPath its Deployments mount.
func volume(dir string, facts map[string]string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	type mount struct {
		Name    string `json:"name"`
		SubPath string `json:"subPath"`
	}
	var pv struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			MountOptions []string `json:"mountOptions"`
			NFS          struct {
				Server string `json:"server"`
				Path   string `json:"path"`
			} `json:"nfs"`
			ClaimRef struct {
				Namespace string `json:"namespace"`
				Name      string `json:"name"`
			} `json:"claimRef"`
		} `json:"spec"`
	}
	type deployment struct {
		Metadata struct {
			Namespace string `json:"namespace"`
		} `json:"metadata"`
		Spec struct {
			Template struct {
				Spec struct {
					SecurityContext struct {
						RunAsUser *int64 `json:"runAsUser"`
					} `json:"securityContext"`
					Volumes []struct {
						Name string `json:"name"`
						PVC  *struct {
							ClaimName string `json:"claimName"`
						} `json:"persistentVolumeClaim"`
					} `json:"volumes"`
					Containers []struct {
						Name         string  `json:"name"`
						VolumeMounts []mount `json:"volumeMounts"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	var deployments []deployment
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var head struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(b, &head); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		switch head.Kind {
		case "PersistentVolume":
			if pv.Metadata.Name != "" {
				continue
			}
			if err := yaml.Unmarshal(b, &pv); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		case "Deployment":
			var d deployment
			if err := yaml.Unmarshal(b, &d); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			deployments = append(deployments, d)
		}
	}
	if pv.Metadata.Name == "" || len(pv.Spec.MountOptions) == 0 {
		return fmt.Errorf("no PersistentVolume with mountOptions in %s", dir)
	}
	facts["mount-options"] = strings.Join(pv.Spec.MountOptions, ",")
	facts["nfs-server"] = pv.Spec.NFS.Server
	facts["nfs-path"] = pv.Spec.NFS.Path
	for _, d := range deployments {
		if d.Metadata.Namespace != pv.Spec.ClaimRef.Namespace {
			continue
		}
		ps := d.Spec.Template.Spec
		for _, v := range ps.Volumes {
			if v.PVC == nil || v.PVC.ClaimName != pv.Spec.ClaimRef.Name {
				continue
			}
			for _, c := range ps.Containers {
				for _, m := range c.VolumeMounts {
					if m.Name == v.Name && m.SubPath != "" {
						facts["subpath"] = m.SubPath
						if ps.SecurityContext.RunAsUser != nil {
							facts["pod-uid"] = strconv.FormatInt(*ps.SecurityContext.RunAsUser, 10)
						}
						return nil
					}
				}
			}
		}
	}
	return fmt.Errorf("no Deployment in %s mounts claim %s with a subPath", pv.Spec.ClaimRef.Namespace, pv.Spec.ClaimRef.Name)
}

package infra

import (
	"fmt"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/operationalinsights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Workspace is the Log Analytics workspace that Container Insights, the NFS VM's counters and
// the log alerts share.
type Workspace struct {
	ID pulumi.IDOutput
}

// workspaceRetentionDays is the retention included in the ingestion price.
const workspaceRetentionDays = 30

// workspaceDailyCapGB stops a runaway log source from running up the bill: a few blogs log far
// less than this, and the first 5 GB a month are free.
const workspaceDailyCapGB = 1.0

// NewWorkspace creates the Log Analytics workspace.
func NewWorkspace(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) (*Workspace, error) {
	ws, err := operationalinsights.NewWorkspace(ctx, "log-analytics", &operationalinsights.WorkspaceArgs{
		WorkspaceName:     pulumi.String(cfg.Names().Workspace()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String("PerGB2018")},
		RetentionInDays:   pulumi.Int(workspaceRetentionDays),
		WorkspaceCapping:  &operationalinsights.WorkspaceCappingArgs{DailyQuotaGb: pulumi.Float64(workspaceDailyCapGB)},
	})
	if err != nil {
		return nil, fmt.Errorf("create log analytics workspace: %w", err)
	}
	return &Workspace{ID: ws.ID()}, nil
}

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

// containerLogTable is where Container Insights puts the containers' stdout and stderr
// (enableContainerLogV2 in the data collection rule).
const containerLogTable = "ContainerLogV2"

// NewWorkspace creates the Log Analytics workspace.
func NewWorkspace(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup) (*Workspace, error) {
	ws, err := operationalinsights.NewWorkspace(ctx, "log-analytics", &operationalinsights.WorkspaceArgs{
		WorkspaceName:     pulumi.String(cfg.Names().Workspace()),
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		Tags:              tags(cfg),
		Sku:               &operationalinsights.WorkspaceSkuArgs{Name: pulumi.String("PerGB2018")},
		RetentionInDays:   pulumi.Int(workspaceRetentionDays),
		// The cap stops a runaway log source from running up the bill; a few blogs log far
		// less than the default.
		WorkspaceCapping: &operationalinsights.WorkspaceCappingArgs{DailyQuotaGb: pulumi.Float64(cfg.Logs.DailyCapGB)},
	})
	if err != nil {
		return nil, fmt.Errorf("create log analytics workspace: %w", err)
	}
	// Container logs are the bulk of a blog's data and no alert queries them: the Basic plan
	// ingests them at a fraction of the Analytics price and bills the rare debugging query by
	// the GB it scans. The table is Azure's own, so Pulumi only sets its plan and leaves the
	// table in place when the resource goes.
	_, err = operationalinsights.NewTable(ctx, "container-log-table", &operationalinsights.TableArgs{
		TableName:         pulumi.String(containerLogTable),
		WorkspaceName:     ws.Name,
		ResourceGroupName: rg.Name,
		Plan:              pulumi.String(cfg.Logs.ContainerLogPlan),
	}, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("set %s table plan: %w", containerLogTable, err)
	}
	return &Workspace{ID: ws.ID()}, nil
}

// ArcpFunctions on Azure: a Flex Consumption function app (isolated worker, Durable Functions on Azure Storage),
// Azure Web PubSub for client WebSockets, Azure Storage for host storage, task hub and runtime state, Application
// Insights, and one user-assigned identity holding the data-plane roles. Deploy into a resource group:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.bicepparam
targetScope = 'resourceGroup'

@description('Azure region of every resource. Flex Consumption is offered in a subset of regions.')
param location string = resourceGroup().location

@description('Short lowercase prefix of resource names (a suffix unique to the resource group is appended).')
@minLength(2)
@maxLength(8)
param prefix string = 'arcp'

@description('Web PubSub hub the clients connect to (starts with a letter; letters, digits, _ ` , . [ ]).')
@minLength(1)
@maxLength(128)
param hubName string = 'arcp'

@description('SKU of the Web PubSub service.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param webPubSubSku string = 'Standard_S1'

@description('Web PubSub units (Standard_S1 only; each unit serves 1,000 concurrent connections).')
@minValue(1)
@maxValue(100)
param webPubSubCapacity int = 1

@description('True turns off the Web PubSub access keys; the app uses its managed identity for the data plane.')
param webPubSubDisableLocalAuth bool = true

@description('Application ID URI (api://…) of an Entra app registration: the audience of the token Web PubSub sends on upstream calls. See docs/deploy.md.')
@minLength(1)
param upstreamAudience string

@description('.NET version of the isolated worker. The app targets net10.0.')
@allowed([
  '8.0'
  '9.0'
  '10.0'
])
param dotnetVersion string = '10.0'

@description('Memory of each Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Maximum number of instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances of the HTTP functions (0 scales to zero; always-ready instances are billed).')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 0

@description('Always-ready instances of the Durable-triggered functions (orchestrations and agent runs scale as one group; 0 scales to zero, with a cold start on the first job).')
@minValue(0)
@maxValue(20)
param alwaysReadyDurableInstances int = 0

@description('Durable Task control-queue partitions (1-16): caps the instances that run orchestrations at once. Read when the task hub is first created; changing it later needs a new taskHubName (docs/capacity.md).')
@minValue(1)
@maxValue(16)
param durablePartitionCount int = 4

@description('Prefix of every table the runtime creates (Arcp__Storage__TablePrefix).')
@minLength(1)
@maxLength(20)
param tablePrefix string = 'arcp'

@description('Durable Task hub name (Arcp__Durable__TaskHubName): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'arcpjobs'

@description('Issuer (iss) the app accepts on client JWTs (Arcp__Auth__Jwt__Issuer).')
@minLength(1)
param jwtIssuer string

@description('Audience (aud) the app accepts on client JWTs (Arcp__Auth__Jwt__Audience).')
@minLength(1)
param jwtAudience string

@description('Keys the app validates client JWTs with (Arcp__Auth__Jwt__SigningKeys), or @Microsoft.KeyVault(SecretUri=...).')
@secure()
@minLength(1)
param jwtSigningKeys string

@description('Tags applied to every resource.')
param tags object = {
  application: 'arcp'
}

var suffix = uniqueString(resourceGroup().id, prefix)
var names = {
  identity: 'id-${prefix}-${suffix}'
  workspace: 'log-${prefix}-${suffix}'
  appInsights: 'appi-${prefix}-${suffix}'
  storage: take('st${prefix}${suffix}', 24)
  deploymentContainer: 'app-package'
  webPubSub: 'wps-${prefix}-${suffix}'
  plan: 'plan-${prefix}-${suffix}'
  functionApp: 'func-${prefix}-${suffix}'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: names.storage
    deploymentContainerName: names.deploymentContainer
    tags: tags
  }
}

module webPubSub 'modules/webpubsub.bicep' = {
  name: 'webpubsub'
  params: {
    location: location
    webPubSubName: names.webPubSub
    skuName: webPubSubSku
    capacity: webPubSubCapacity
    identityId: identity.id
    disableLocalAuth: webPubSubDisableLocalAuth
    tags: tags
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.storageAccountName
    webPubSubName: webPubSub.outputs.webPubSubName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: names.plan
    functionAppName: names.functionApp
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.storageAccountName
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    dotnetVersion: dotnetVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
    durablePartitionCount: durablePartitionCount
    tablePrefix: tablePrefix
    taskHubName: taskHubName
    webPubSubEndpoint: webPubSub.outputs.endpoint
    webPubSubHub: hubName
    webPubSubUpstreamAudience: upstreamAudience
    webPubSubUpstreamClientIds: identity.properties.clientId
    jwtIssuer: jwtIssuer
    jwtAudience: jwtAudience
    jwtSigningKeys: jwtSigningKeys
    tags: tags
  }
  // The host starts with identity-based storage settings: give it its roles first.
  dependsOn: [
    roles
  ]
}

module hub 'modules/webpubsub-hub.bicep' = {
  name: 'webpubsub-hub'
  params: {
    webPubSubName: webPubSub.outputs.webPubSubName
    hubName: hubName
    functionAppHostName: functionApp.outputs.defaultHostName
    upstreamAudience: upstreamAudience
  }
}

@description('Name of the function app.')
output functionAppName string = functionApp.outputs.functionAppName

@description('Default host name of the function app.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('URL ARCP clients negotiate a Web PubSub connection at (ARCP_URL).')
output negotiateUrl string = 'https://${functionApp.outputs.defaultHostName}/api/negotiate'

@description('Web PubSub service endpoint.')
output webPubSubEndpoint string = webPubSub.outputs.endpoint

@description('Web PubSub hub name.')
output webPubSubHub string = hub.outputs.hubName

@description('URL Web PubSub posts upstream events to.')
output webPubSubEventHandlerUrl string = hub.outputs.eventHandlerUrl

@description('Audience of the Entra token on upstream requests; the webpubsub function validates it.')
output upstreamAudience string = upstreamAudience

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.storageAccountName

@description('Client id of the runtime identity.')
output identityClientId string = identity.properties.clientId

@description('Principal (object) id of the runtime identity, for extra role assignments such as Key Vault Secrets User.')
output identityPrincipalId string = identity.properties.principalId

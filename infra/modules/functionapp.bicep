// Flex Consumption plan and the ARCP function app (isolated worker). The app reaches storage, Web PubSub and
// Application Insights with its user-assigned identity only: no connection strings, no keys.

@description('Azure region of the resources.')
param location string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (globally unique).')
param functionAppName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Name of the storage account used as host storage, task hub and runtime state.')
param storageAccountName string

@description('Primary blob endpoint of the storage account, with a trailing slash.')
param blobEndpoint string

@description('Name of the blob container that holds the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('.NET version of the isolated worker.')
@allowed([
  '8.0'
  '9.0'
  '10.0'
])
param dotnetVersion string

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances of the HTTP functions (0 means scale to zero; always-ready instances are billed).')
@minValue(0)
param alwaysReadyHttpInstances int

@description('Always-ready instances of the Durable-triggered functions (0 means scale to zero).')
@minValue(0)
param alwaysReadyDurableInstances int

@description('Durable Task control-queue partitions (1-16), set before the task hub is first created.')
@minValue(1)
@maxValue(16)
param durablePartitionCount int

@description('Prefix of every table the runtime creates.')
param tablePrefix string

@description('Durable Task hub name.')
param taskHubName string

@description('Web PubSub service endpoint, https://<name>.webpubsub.azure.com.')
param webPubSubEndpoint string

@description('Web PubSub hub name.')
param webPubSubHub string

@description('Audience of the Entra token Web PubSub sends with upstream events (the hub\'s managed-identity resource); the app refuses upstream events without it.')
param webPubSubUpstreamAudience string

@description('Client id of the identity Web PubSub gets its upstream tokens with; tokens issued to any other client are refused.')
param webPubSubUpstreamClientIds string

@description('Issuer (iss) the app accepts on client JWTs.')
param jwtIssuer string

@description('Audience (aud) the app accepts on client JWTs.')
param jwtAudience string

@description('Signing keys the app validates client JWTs with, or a Key Vault reference to them.')
@secure()
param jwtSigningKeys string

@description('Tags applied to every resource.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings (for example the JWT signing keys) resolve with this identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // One entry per group with instances kept warm; a group left out scales to zero.
        alwaysReady: concat(
          alwaysReadyHttpInstances > 0
            ? [
                {
                  name: 'http'
                  instanceCount: alwaysReadyHttpInstances
                }
              ]
            : [],
          alwaysReadyDurableInstances > 0
            ? [
                {
                  name: 'durable'
                  instanceCount: alwaysReadyDurableInstances
                }
              ]
            : []
        )
      }
    }
  }
}

// Flex Consumption takes the worker runtime from functionAppConfig.runtime: FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE are not allowed here.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    Arcp__Storage__TablePrefix: tablePrefix
    Arcp__Durable__TaskHubName: taskHubName
    // Overrides host.json's extensions.durableTask.storageProvider.partitionCount (the AzureFunctionsJobHost__ prefix
    // addresses any host.json value); the backend reads it only when it creates the task hub.
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount: string(durablePartitionCount)
    Arcp__WebPubSub__Endpoint: webPubSubEndpoint
    Arcp__WebPubSub__Hub: webPubSubHub
    Arcp__WebPubSub__UpstreamAudience: webPubSubUpstreamAudience
    Arcp__WebPubSub__UpstreamClientIds: webPubSubUpstreamClientIds
    Arcp__WebPubSub__UpstreamAuthority: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
    Arcp__Auth__Jwt__Issuer: jwtIssuer
    Arcp__Auth__Jwt__Audience: jwtAudience
    Arcp__Auth__Jwt__SigningKeys: jwtSigningKeys
  }
}

@description('Name of the function app.')
output functionAppName string = functionApp.name

@description('Default host name of the function app.')
output defaultHostName string = functionApp.properties.defaultHostName

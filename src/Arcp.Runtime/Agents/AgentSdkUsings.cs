// The runtime implements the agent SDK throughout (the runner, the catalog, the activities' docs).
global using Arcp.Agents.Sdk;

/**
 * Deploying the contract set ({@link org.ridecoop.deploy.Deployer}) and the manifest that tells
 * nodes, SDK clients and auditors where it lives ({@link org.ridecoop.deploy.DeploymentManifest}).
 */
package org.ridecoop.deploy;

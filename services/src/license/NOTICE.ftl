<#-- SPDX-License-Identifier: Apache-2.0 -->
<#-- The repository's NOTICE file (Apache-2.0 section 4(d)), rendered by license-maven-plugin's
     add-third-party goal from the distribution's Maven dependencies (services/pom.xml).
     dependencyMap: each third-party artifact (a MavenProject) with its license names, already merged
     into SPDX identifiers; several names are the choice the library offers. -->
Layerstore
Copyright 2026 The Layerstore authors

This product is licensed under the Apache License, Version 2.0 (the LICENSE file beside this one).

It bundles the ${dependencyMap?size} third-party Maven artifacts listed below, whose jars are all of its
distribution's lib/ except Layerstore's own. Each is named with its license as an SPDX identifier;
"A OR B" means the library is offered under either. The license texts are in the jars (META-INF)
and at the libraries' addresses.

This file is generated from the Maven dependencies; do not edit it by hand. To regenerate it:
  ./mvnw -B -q -pl services -am -DskipTests generate-resources
  cp services/target/generated-sources/license/NOTICE NOTICE

<#list dependencyMap as e>
<#assign p = e.getKey()/>
${p.groupId}:${p.artifactId}:${p.version}
    ${p.name}<#if p.url?has_content> <${p.url}></#if>
    License: ${e.getValue()?join(" OR ")}
</#list>

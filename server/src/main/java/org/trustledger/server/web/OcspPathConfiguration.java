package org.trustledger.server.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * RFC 6960 GET requests carry base64 in the path, where '/' arrives as %2F; Tomcat rejects encoded
 * slashes by default. Let them through undecoded: {@link CaEndpoints} decodes the OCSP path itself.
 */
@Configuration(proxyBeanMethods = false)
public class OcspPathConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}

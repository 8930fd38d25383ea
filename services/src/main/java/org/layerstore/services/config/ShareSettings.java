package org.layerstore.services.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One shared folder, served under {@code /<name>/}.
 *
 * @param name     the share's name in URLs: letters, digits, '.', '_' and '-'
 * @param root     the folder shared; must exist
 * @param readOnly whether writes are refused
 */
public record ShareSettings(String name, Path root, Boolean readOnly) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ShareSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("share name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (root == null) {
            throw new ConfigException("share '" + name + "' has no root folder");
        }
        readOnly = readOnly != null && readOnly;
    }
}

// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.util.Map;

import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;

/** Netty's default options plus {@code ALLOW_HALF_CLOSURE}: whether a peer's FIN closes the channel. */
public final class NetStackChannelConfig extends DefaultChannelConfig {

    private volatile boolean allowHalfClosure;

    NetStackChannelConfig(NetStackChannel channel) {
        super(channel);
    }

    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), ChannelOption.ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(allowHalfClosure);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            allowHalfClosure = (Boolean) value;
            return true;
        }
        return super.setOption(option, value);
    }
}

/**
 * The local Hardhat devnet's well-known accounts (chain id 31337 only). Their keys are public: Hardhat
 * derives them from this mnemonic, and they hold ETH on the devnet and nowhere else.
 */
import { HDNodeWallet, Mnemonic } from "ethers";

export const DEVNET_CHAIN_ID = 31337n;
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** Account #index of the devnet mnemonic (Hardhat's path m/44'/60'/0'/0/index). */
export function devnetWallet(index: number): HDNodeWallet {
  if (!Number.isInteger(index) || index < 0 || index > 19) throw new RangeError(`devnet account index ${index} is not in 0..19`);
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVNET_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

/**
 * Who is who on the devnet: #0 deploys and administers (Hardhat's default signer), #1 regulates, #19 pays the
 * relayer's gas (the last default Hardhat account, so it does not collide with the accounts tests and scripts take
 * from the front).
 */
export const DEVNET_REGULATOR_INDEX = 1;
export const DEVNET_RELAYER_INDEX = 19;
/** The relayer keys of a stack with several relayers (`npm start -- --relayers N`): #19, then #18, … (at most 4). */
export const DEVNET_RELAYER_INDEXES: readonly number[] = [19, 18, 17, 16];

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The part of the zcrypt user interface (/dev/z90crypt) that libica and
 * openssl-ibmca use: RSA modular exponentiation in its plain and its
 * Chinese-remainder form, and the status requests. The ioctl numbers,
 * the structures and their layout are those of Linux's
 * arch/s390/include/uapi/asm/zcrypt.h (magic 'z'), so that a client
 * built against that header works unchanged.
 */
#ifndef _UAPI_AP_ZCRYPT_H
#define _UAPI_AP_ZCRYPT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#ifndef __KERNEL__
#define __user
#endif

#define ZCRYPT_IOCTL_MAGIC	'z'

/**
 * struct ica_rsa_modexpo - result = input ^ exponent mod modulus
 * @inputdata: the input, @inputdatalength bytes, big-endian
 * @inputdatalength: the length of input, exponent and modulus in bytes
 *	(8 to 512); exponent and modulus are right-aligned in that length
 * @outputdata: receives the result, @inputdatalength bytes
 * @outputdatalength: room at @outputdata, at least @inputdatalength; set
 *	to @inputdatalength on success
 * @b_key: the exponent
 * @n_modulus: the modulus
 */
struct ica_rsa_modexpo {
	__u8 __user *inputdata;
	__u32 inputdatalength;
	__u8 __user *outputdata;
	__u32 outputdatalength;
	__u8 __user *b_key;
	__u8 __user *n_modulus;
};

/**
 * struct ica_rsa_modexpo_crt - the same with the private key in CRT form
 * @inputdata: the input, @inputdatalength bytes
 * @inputdatalength: the length of the modulus in bytes
 * @outputdata: receives the result
 * @outputdatalength: room at @outputdata, at least @inputdatalength
 * @bp_key: dp = d mod (p - 1): (@inputdatalength + 1) / 2 + 8 bytes, the
 *	first 8 of them zero
 * @bq_key: dq = d mod (q - 1): (@inputdatalength + 1) / 2 bytes
 * @np_prime: the prime p, laid out as @bp_key
 * @nq_prime: the prime q, laid out as @bq_key
 * @u_mult_inv: q^-1 mod p, laid out as @bp_key
 */
struct ica_rsa_modexpo_crt {
	__u8 __user *inputdata;
	__u32 inputdatalength;
	__u8 __user *outputdata;
	__u32 outputdatalength;
	__u8 __user *bp_key;
	__u8 __user *bq_key;
	__u8 __user *np_prime;
	__u8 __user *nq_prime;
	__u8 __user *u_mult_inv;
};

/* Bytes of the CRT key parts p, dp and u that precede the value. */
#define ZCRYPT_CRT_PAD		8

#define ICARSAMODEXPO	_IOC(_IOC_READ | _IOC_WRITE, ZCRYPT_IOCTL_MAGIC, 0x05, 0)
#define ICARSACRT	_IOC(_IOC_READ | _IOC_WRITE, ZCRYPT_IOCTL_MAGIC, 0x06, 0)

/*
 * Status requests. The masks have one byte per adapter and describe the
 * queues of the default domain (/sys/bus/ap/ap_domain): 0 for none, the
 * adapter's zcrypt type (10 for CEX4, 11 for CEX5, 12 for CEX6 and
 * later) while the queue is online, ZCRYPT_STATUS_OFFLINE otherwise.
 */
#define ZCRYPT_STATUS_OFFLINE	0x0d
#define ZCRYPT_CARDS		256
#define Z90STAT_CARDS		64

#define ZCRYPT_STATUS_MASK	_IOR(ZCRYPT_IOCTL_MAGIC, 0x58, char[ZCRYPT_CARDS])
#define ZCRYPT_QDEPTH_MASK	_IOR(ZCRYPT_IOCTL_MAGIC, 0x59, char[ZCRYPT_CARDS])
#define ZCRYPT_PERDEV_REQCNT	_IOR(ZCRYPT_IOCTL_MAGIC, 0x5a, int[ZCRYPT_CARDS])
#define Z90STAT_REQUESTQ_COUNT	_IOR(ZCRYPT_IOCTL_MAGIC, 0x44, int)
#define Z90STAT_PENDINGQ_COUNT	_IOR(ZCRYPT_IOCTL_MAGIC, 0x45, int)
#define Z90STAT_TOTALOPEN_COUNT	_IOR(ZCRYPT_IOCTL_MAGIC, 0x46, int)
#define Z90STAT_DOMAIN_INDEX	_IOR(ZCRYPT_IOCTL_MAGIC, 0x47, int)
#define Z90STAT_STATUS_MASK	_IOR(ZCRYPT_IOCTL_MAGIC, 0x48, char[Z90STAT_CARDS])
#define Z90STAT_QDEPTH_MASK	_IOR(ZCRYPT_IOCTL_MAGIC, 0x49, char[Z90STAT_CARDS])
#define Z90STAT_PERDEV_REQCNT	_IOR(ZCRYPT_IOCTL_MAGIC, 0x4a, int[Z90STAT_CARDS])

#endif /* _UAPI_AP_ZCRYPT_H */
